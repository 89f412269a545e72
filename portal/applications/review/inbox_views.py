"""Staff pages for what candidates ask: the queues of review requests and of messages,
answering them, and what the application page shows of them (routes added to the review
blueprint)."""
from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal import audit, refusals
from portal.applications import appeals, conversation
from portal.applications.models import Application, ReviewRequest, Status
from portal.applications.review import inbox
from portal.applications.review.forms import AnswerReviewForm, StaffMessageForm
from portal.applications.vocab import STATUS_LABELS
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import vocab as reserve_vocab
from portal.reserve.models import Engagement
from portal.security import STAFF, role_required


@role_required(*STAFF)
def queue(kind: str):
    """The queue of requests for a review or of messages (inbox.KINDS), one route each."""
    f = inbox.Filters.from_args(request.args, kind)
    page = inbox.page(f, current_app.config["REVIEW_QUEUE_PAGE_SIZE"])
    return render_template("applications/review/inbox.html", page=page, filters=f,
                           reserve_status_labels=reserve_vocab.STATUS_LABELS,
                           endpoint=request.endpoint)


def _back(application_id: int, anchor: str):
    return redirect(url_for("review.application", application_id=application_id,
                            _anchor=anchor))


def _refused(application_id: int, error: Refusal, section: str):
    """Back to the application, the refusal shown on top of the page's `section`."""
    refusals.show(error, section=section)
    return _back(application_id, f"{section}-refusal")


def _page_of(request_: ReviewRequest, anchor: str) -> str:
    """The staff page of the request's application or engagement."""
    if request_.engagement_id is not None:
        return url_for("reserve_staff.engagement", engagement_id=request_.engagement_id,
                       _anchor=anchor)
    return url_for("review.application", application_id=request_.application_id,
                   _anchor=anchor)


@role_required(*STAFF)
def answer_review(request_id: int):
    request_ = db.get_or_404(ReviewRequest, request_id)
    form = AnswerReviewForm()
    refusal = None
    if not form.validate_on_submit():
        refusal = Refusal(str(next(e for errors in form.errors.values() for e in errors)))
    else:
        try:
            appeals.answer(request_, form.outcome.data, form.answer.data, current_user)
            db.session.commit()
        except Refusal as error:
            refusal = error
        except IntegrityError:
            refusal = Refusal(_("This request was already answered."))
    if refusal is not None:
        refusals.show(refusal, section="review")
        return redirect(_page_of(request_, "review-refusal"))
    flash(_("Answer recorded; the letter and the e-mail go to the candidate."), "success")
    return redirect(_page_of(request_, "review-requests-title"))


@role_required(*STAFF)
def answer_message(application_id: int):
    application = db.session.get(Application, application_id)
    if application is None or application.status == Status.DRAFT:
        abort(404)
    form = StaffMessageForm()
    if not form.validate_on_submit():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _refused(application_id, Refusal(str(errors[0])), "messages")
    try:
        conversation.answer(application, form.body.data, current_user)
        db.session.commit()
    except Refusal as error:
        return _refused(application_id, error, "messages")
    flash(_("Message sent; the candidate gets an e-mail."), "success")
    return _back(application_id, "messages-title")


def _moved_dates(event) -> tuple[date, date]:
    details = json.loads(event.details or "{}")
    return date.fromisoformat(details["from_date"]), date.fromisoformat(details["to_date"])


def on_application_page(application: Application) -> dict:
    """What the recruiter's page of an application shows of requests and messages."""
    moves = db.session.scalars(
        db.select(audit.AuditEvent).where(audit.AuditEvent.object_type == "Application",
                                          audit.AuditEvent.object_id == str(application.id),
                                          audit.AuditEvent.action == "convocation.moved")
        .order_by(audit.AuditEvent.id)).all()
    return {
        "convocation_moves": [(event, _moved_dates(event)) for event in moves],
        "thread": conversation.thread(application),
        "staff_message_form": StaffMessageForm(),
    }


def review_requests_of(subject) -> dict:
    """The review requests of an Application or a reserve Engagement as a staff page shows
    them (the Jinja global `review_requests_of`, for the recruiter's application page and
    the Reserve staff's engagement page)."""
    column = (ReviewRequest.engagement_id if isinstance(subject, Engagement)
              else ReviewRequest.application_id)
    labels = (reserve_vocab.STATUS_LABELS if isinstance(subject, Engagement)
              else STATUS_LABELS)
    requests_ = db.session.scalars(
        db.select(ReviewRequest).where(column == subject.id).order_by(ReviewRequest.id)).all()
    return {"requests": requests_, "outcomes": appeals.OUTCOMES, "form": AnswerReviewForm(),
            "deciders": {r.id: appeals.deciders(r) for r in requests_ if r.is_open},
            "contested": {r.id: labels.get(r.contested, r.contested) for r in requests_}}


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/review-requests", "review_requests", queue, defaults={"kind": "reviews"})
    bp.add_url_rule("/messages", "messages", queue, defaults={"kind": "messages"})
    bp.add_url_rule("/review-requests/<int:request_id>/answer", view_func=answer_review,
                    methods=["POST"])
    bp.add_url_rule("/applications/<int:application_id>/messages", view_func=answer_message,
                    methods=["POST"])
