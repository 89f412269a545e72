"""Reviews of a decision: the candidate asks, with a reason, within REVIEW_REQUEST_DAYS
of a rejection or a place on the waiting list (their application to the service year),
or of the refusal of their application to the Reserve; a staff member who took no part
in that decision answers it (four eyes), upheld or overturned with the reason. The answer
is a letter (with the next route: the Council of State) and an e-mail, made after the
commit.

The subject of a request is an Application or a reserve Engagement; what differs between
the two (the statuses that can be contested, who decided, the letter's recipient, the
page to link to) is looked up here, so the rest treats both alike.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from portal import audit, i18n, mail, outbox
from portal.accounts.models import User
from portal.applications import correspondence, workflow
from portal.applications.models import (
    Application,
    ApplicationEvent,
    Decision,
    ReviewRequest,
    Status,
)
from portal.extensions import db
from portal.letters import pending
from portal.letters import services as letter_services
from portal.locking import lock
from portal.models import utcnow
from portal.refusals import Refusal
from portal.reserve import letters as reserve_letters
from portal.reserve.models import Engagement, EngagementEvent, EngagementStatus

# The decisions a candidate may ask us to review, and the action that took each.
CONTESTABLE = {Status.REJECTED: "reject", Status.WAITLISTED: "waitlist"}
RESERVE_CONTESTABLE = {EngagementStatus.REJECTED: "reject"}
OUTCOMES = {"upheld": _l("Upheld: the decision stands"),
            "overturned": _l("Overturned: we take a new decision")}
REASON_MIN, REASON_MAX = 10, 4000
EMAIL_SUBJECT = _l("The answer to your request for a review")


class AppealError(Refusal):
    """A review request or answer the rules refuse; `message` is for the user."""


def _reserve(subject) -> bool:
    return isinstance(subject, Engagement)


def _contestable(subject) -> dict:
    return RESERVE_CONTESTABLE if _reserve(subject) else CONTESTABLE


def _own_column(subject):
    return ReviewRequest.engagement_id if _reserve(subject) else ReviewRequest.application_id


def subject_of(request_: ReviewRequest):
    """The Application or Engagement the request is about."""
    if request_.engagement_id is not None:
        return db.session.get(Engagement, request_.engagement_id)
    return db.session.get(Application, request_.application_id)


def deadline(subject) -> date | None:
    """The last day to ask for a review of the subject's decision (None: nothing to
    review)."""
    if subject.status not in _contestable(subject) or subject.decided_at is None:
        return None
    return subject.decided_at.date() + timedelta(days=current_app.config["REVIEW_REQUEST_DAYS"])


def current(subject) -> ReviewRequest | None:
    """The request about the subject's present decision, open or answered."""
    if subject.decided_at is None:
        return None
    return db.session.scalar(
        db.select(ReviewRequest).where(_own_column(subject) == subject.id,
                                       ReviewRequest.contested == subject.status,
                                       ReviewRequest.created_at >= subject.decided_at)
        .order_by(ReviewRequest.id.desc()).limit(1))


def can_ask(subject, today: date) -> bool:
    last = deadline(subject)
    return last is not None and today <= last and current(subject) is None


def _decision_of(application: Application) -> Decision | None:
    return db.session.scalar(
        db.select(Decision).where(Decision.application_id == application.id,
                                  Decision.action == CONTESTABLE[Status(application.status)],
                                  Decision.outcome == "confirmed")
        .order_by(Decision.id.desc()).limit(1))


def ask(subject, reason: str, actor, today: date) -> ReviewRequest:
    """The candidate's request about an Application or Engagement; flushes, the caller
    commits."""
    lock(subject)
    reason = (reason or "").strip()
    if subject.status not in _contestable(subject):
        raise AppealError(_("There is no decision to review on this application."))
    if current(subject) is not None:
        raise AppealError(_("You already asked for a review of this decision."))
    last = deadline(subject)
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
    request_ = ReviewRequest(contested=subject.status, reason=reason, created_at=utcnow())
    if _reserve(subject):
        request_.engagement_id = subject.id
    else:
        request_.application_id = subject.id
        request_.decision_id = getattr(_decision_of(subject), "id", None)
    db.session.add(request_)
    db.session.flush()
    audit.record(actor, "review_request.created", request_, contested=str(subject.status),
                 **{"engagement_id" if _reserve(subject) else "application_id": subject.id})
    return request_


def deciders(request_: ReviewRequest) -> set[int]:
    """Who took the decision under review: its proposer, its confirmer, and whoever
    recorded the move (none of them may answer the review)."""
    people: set[int] = set()
    if request_.engagement_id is not None:
        people |= set(db.session.scalars(
            db.select(EngagementEvent.actor_id).where(
                EngagementEvent.engagement_id == request_.engagement_id,
                EngagementEvent.action == RESERVE_CONTESTABLE.get(request_.contested, ""))))
        return {p for p in people if p is not None}
    decision = db.session.get(Decision, request_.decision_id) if request_.decision_id else None
    if decision is not None:
        people |= {decision.proposed_by_id, decision.resolved_by_id}
    people |= set(db.session.scalars(
        db.select(ApplicationEvent.actor_id).where(
            ApplicationEvent.application_id == request_.application_id,
            ApplicationEvent.action == CONTESTABLE.get(request_.contested, ""))))
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
    subject = subject_of(request_)
    audit.record(actor, "review_request.answered", request_, outcome=outcome,
                 **{"engagement_id" if _reserve(subject) else "application_id": subject.id})
    if (outcome == "overturned" and not _reserve(subject)
            and subject.status == Status.REJECTED):
        # The rejection no longer stands: back to screening, where recruiters take a new
        # decision (two of them, as for any decision) that gets its own letter.
        workflow.transition(subject, "reopen", actor, "review overturned")
    user = db.session.get(User, subject.user_id)
    if _reserve(subject):
        pending.later("review_answer", make_reserve_letter, subject=subject, user=user,
                      person=user.person, actor=actor)
        link = mail.external_url("reserve.engagement", engagement_id=subject.id)
    else:
        correspondence.issue_later("review_answer", subject, actor)
        link = mail.external_url("applications.status", application_id=subject.id,
                                 _anchor="review")
    outbox.later(user.email, "application_update", subject.language, EMAIL_SUBJECT,
                 kind="review_answered", first_name=subject.first_name,
                 reference=subject.reference, link=link)
    return request_


def waiting_count(intake_id: int | None = None) -> int:
    query = db.select(func.count(ReviewRequest.id)).where(ReviewRequest.answered_at.is_(None))
    if intake_id is not None:
        query = query.join(Application, Application.id == ReviewRequest.application_id) \
            .where(Application.intake_id == intake_id)
    return db.session.scalar(query) or 0


def _answered(subject) -> ReviewRequest | None:
    return db.session.scalar(
        db.select(ReviewRequest).where(_own_column(subject) == subject.id,
                                       ReviewRequest.answered_at.is_not(None))
        .order_by(ReviewRequest.answered_at.desc(), ReviewRequest.id.desc()).limit(1))


def letter_context(subject, _decision=None) -> dict:
    """What the review_answer letter prints (correspondence.CONTEXT for applications)."""
    return {"review": _answered(subject), "reserve": _reserve(subject),
            "contact_address": i18n.in_language(current_app.config["CONTACT_ADDRESS"]),
            "council_days": current_app.config["APPEAL_PERIOD_DAYS"]}


def make_reserve_letter(row) -> None:
    """Issue the answer about an application to the Reserve (letters.pending calls it after
    the commit). An engagement erased meanwhile gets no letter."""
    engagement = db.session.get(Engagement, int(row.subject_id))
    if engagement is None:
        return
    user = db.session.get(User, engagement.user_id)
    to, person = reserve_letters.recipient(engagement, user)
    actor = db.session.get(User, row.actor_id) if row.actor_id else None
    letter_services.issue(
        "review_answer", recipient=to, actor=actor, person=person, user=user,
        languages=reserve_letters.languages(engagement, person), subject=engagement,
        reference=row.reference,
        context={"engagement": engagement, **letter_context(engagement)})


def on_page(subject, today: date) -> dict:
    """What a candidate's page shows of the review of the subject's decision."""
    return {"review": current(subject), "can_ask_review": can_ask(subject, today),
            "review_deadline": deadline(subject), "review_outcomes": OUTCOMES}


correspondence.CONTEXT["review_answer"] = letter_context
