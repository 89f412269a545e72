"""Reviews of a decision: the candidate asks, with a reason, within REVIEW_REQUEST_DAYS
of a rejection or a place on the waiting list; a staff member who took no part in that
decision answers it (four eyes), upheld or overturned with the reason. The answer is a
letter (with the next route: the Council of State) and an e-mail, made after the commit.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from portal import audit, mail, outbox
from portal.accounts.models import User
from portal.applications import correspondence
from portal.applications.models import (
    Application,
    ApplicationEvent,
    Decision,
    ReviewRequest,
    Status,
)
from portal.extensions import db
from portal.locking import lock
from portal.models import utcnow
from portal.refusals import Refusal

# The decisions a candidate may ask us to review, and the action that took each.
CONTESTABLE = {Status.REJECTED: "reject", Status.WAITLISTED: "waitlist"}
OUTCOMES = {"upheld": _l("Upheld: the decision stands"),
            "overturned": _l("Overturned: we take a new decision")}
REASON_MIN, REASON_MAX = 10, 4000
EMAIL_SUBJECT = _l("The answer to your request for a review")


class AppealError(Refusal):
    """A review request or answer the rules refuse; `message` is for the user."""


def deadline(application: Application) -> date | None:
    """The last day to ask for a review of the application's decision (None: nothing to
    review)."""
    if application.status not in CONTESTABLE or application.decided_at is None:
        return None
    return application.decided_at.date() + timedelta(
        days=current_app.config["REVIEW_REQUEST_DAYS"])


def current(application: Application) -> ReviewRequest | None:
    """The request about the application's present decision, open or answered."""
    if application.decided_at is None:
        return None
    return db.session.scalar(
        db.select(ReviewRequest).where(ReviewRequest.application_id == application.id,
                                       ReviewRequest.contested == application.status,
                                       ReviewRequest.created_at >= application.decided_at)
        .order_by(ReviewRequest.id.desc()).limit(1))


def can_ask(application: Application, today: date) -> bool:
    last = deadline(application)
    return last is not None and today <= last and current(application) is None


def _decision_of(application: Application) -> Decision | None:
    return db.session.scalar(
        db.select(Decision).where(Decision.application_id == application.id,
                                  Decision.action == CONTESTABLE[Status(application.status)],
                                  Decision.outcome == "confirmed")
        .order_by(Decision.id.desc()).limit(1))


def ask(application: Application, reason: str, actor, today: date) -> ReviewRequest:
    """The candidate's request; flushes, the caller commits."""
    lock(application)
    reason = (reason or "").strip()
    if application.status not in CONTESTABLE:
        raise AppealError(_("There is no decision to review on this application."))
    if current(application) is not None:
        raise AppealError(_("You already asked for a review of this decision."))
    last = deadline(application)
    if last is None or today > last:
        raise AppealError(_(
            "The period to ask for a review has ended: it was %(days)d days after the "
            "decision.", days=current_app.config["REVIEW_REQUEST_DAYS"]))
    if len(reason) < REASON_MIN:
        raise AppealError(_("Tell us why you disagree, in at least %(num)d characters.",
                            num=REASON_MIN), field="reason")
    if len(reason) > REASON_MAX:
        raise AppealError(_("Keep your reason under %(num)d characters.", num=REASON_MAX),
                          field="reason")
    decision = _decision_of(application)
    request_ = ReviewRequest(application_id=application.id, contested=application.status,
                             decision_id=getattr(decision, "id", None), reason=reason,
                             created_at=utcnow())
    db.session.add(request_)
    db.session.flush()
    audit.record(actor, "review_request.created", request_, application_id=application.id,
                 contested=str(application.status))
    return request_


def deciders(request_: ReviewRequest) -> set[int]:
    """Who took the decision under review: its proposer, its confirmer, and whoever
    recorded the move (none of them may answer the review)."""
    people: set[int] = set()
    decision = db.session.get(Decision, request_.decision_id) if request_.decision_id else None
    if decision is not None:
        people |= {decision.proposed_by_id, decision.resolved_by_id}
    action = CONTESTABLE.get(Status(request_.contested))
    people |= set(db.session.scalars(
        db.select(ApplicationEvent.actor_id).where(
            ApplicationEvent.application_id == request_.application_id,
            ApplicationEvent.action == action)))
    return {p for p in people if p is not None}


def answer(request_: ReviewRequest, outcome: str, text: str, actor) -> ReviewRequest:
    """A staff member's answer; the letter and e-mail follow the commit. Flushes."""
    lock(request_)
    text = (text or "").strip()
    if not request_.is_open:
        raise AppealError(_("This request was already answered."))
    if actor.id in deciders(request_):
        raise AppealError(_("You took part in the decision under review: a colleague who did "
                            "not must answer this request."))
    if outcome not in OUTCOMES:
        raise AppealError(_("Choose whether the decision is upheld or overturned."),
                          field="outcome")
    if len(text) < REASON_MIN:
        raise AppealError(_("Give the reason for your answer, in at least %(num)d characters.",
                            num=REASON_MIN), field="answer")
    request_.outcome, request_.answer = outcome, text[:REASON_MAX]
    request_.answered_by_id, request_.answered_at = actor.id, utcnow()
    db.session.flush()
    application = request_.application
    audit.record(actor, "review_request.answered", request_, application_id=application.id,
                 outcome=outcome)
    correspondence.issue_later("review_answer", application, actor)
    user = db.session.get(User, application.user_id)
    outbox.later(user.email, "application_update", application.language, EMAIL_SUBJECT,
                 kind="review_answered", first_name=application.first_name,
                 reference=application.reference,
                 link=_link(application))
    return request_


def _link(application: Application) -> str:
    return mail.external_url("applications.status", application_id=application.id)


def waiting_count(intake_id: int | None = None) -> int:
    query = db.select(func.count(ReviewRequest.id)).where(ReviewRequest.answered_at.is_(None))
    if intake_id is not None:
        query = query.join(Application, Application.id == ReviewRequest.application_id) \
            .where(Application.intake_id == intake_id)
    return db.session.scalar(query) or 0


def letter_context(application: Application, _decision=None) -> dict:
    """What the review_answer letter prints (correspondence.CONTEXT)."""
    request_ = db.session.scalar(
        db.select(ReviewRequest).where(ReviewRequest.application_id == application.id,
                                       ReviewRequest.answered_at.is_not(None))
        .order_by(ReviewRequest.answered_at.desc(), ReviewRequest.id.desc()).limit(1))
    return {"review": request_, "contact_address": current_app.config["CONTACT_ADDRESS"],
            "council_days": current_app.config["APPEAL_PERIOD_DAYS"]}


correspondence.CONTEXT["review_answer"] = letter_context
