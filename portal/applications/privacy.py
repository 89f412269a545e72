"""The applications domain's share of export, erasure and retention."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import privacy_registry as registry
from portal.applications import adjustments, background, conversation, health, interest
from portal.applications import answers as stored_answers
from portal.applications.intakes.models import Booking
from portal.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationMessage,
    Convocation,
    Decision,
    ReviewRequest,
    Status,
    TestResult,
)
from portal.applications.vetting.models import SecurityScreening
from portal.extensions import db
from portal.letters import services as letter_services

S = Status
# Finished without service: after the retention period the whole file goes.
CLOSED = (S.REJECTED, S.TESTS_FAILED, S.WITHDRAWN, S.OFFER_DECLINED, S.LEFT)
# Under way or in service: the account is still needed.
OPEN = tuple(s for s in Status if s not in CLOSED)
# The medical test lies behind these: health answers are no longer needed after them.
PAST_MEDICAL = tuple(s for s in Status if s not in (
    S.DRAFT, S.SUBMITTED, S.SCREENING, S.TESTS_SCHEDULED))
# A selection waits for the security screening in these: a favourable outcome is kept.
SELECTION_PENDING = (S.SUBMITTED, S.SCREENING, S.TESTS_SCHEDULED, S.TESTS_PASSED,
                     S.TESTS_FAILED, S.WAITLISTED)
# The service record of someone who served is kept by the law on military personnel.
SERVED = (S.IN_SERVICE, S.COMPLETED, S.CAREER, S.RESERVE)


LABELS = {
    "intake": _l("Intake"),
    "component": _l("Component"),
    "answers": _l("Your answers"),
    "tests": _l("Test results"),
    "kind": _l("Test"),
    "passed": _l("Passed"),
    "score": _l("Score"),
    "decisions": _l("Decisions"),
    "outcome": _l("Outcome"),
    "reason_code": _l("Reason"),
    "bookings": _l("Information sessions"),
    "messages": _l("Messages with the recruitment team"),
    "from_staff": _l("From the recruitment team"),
    "body": _l("Message"),
    "review_requests": _l("Requests for a review"),
    "contested": _l("Contested decision:"),
    "session": _l("Session"),
    "created_at": _l("Booked on"),
    "cancelled_at": _l("Cancelled on"),
    "adjustments": _l("Adjustments you asked for on the selection day"),
    "kinds": _l("What would help you"),
    "details": _l("Details"),
    "interest": _l("Your interest questionnaire"),
    "level": _l("Interest (%(low)d to %(high)d)", low=interest.SCALE[0],
                high=interest.SCALE[-1]),
    "functions": _l("Fields that draw you"),
    "driving_licence": _l("Driving licence B"),
    "languages": _l("Languages you speak"),
    "updated_at": _l("Last answered on"),
    "background": _l("Your answer about your background"),
    "parents_higher_education": _l("A parent completed higher education"),
    "security_screenings": _l("Security screening"),
    "requested_at": _l("Requested on"),
    "done_at": _l("Done on"),
}


def _applications(user) -> list[Application]:
    return registry.owned(Application.user_id, user)


def export(user) -> dict | None:
    applications = _applications(user)
    bookings = db.session.scalars(select(Booking).where(Booking.user_id == user.id)).all()
    questionnaire = interest.export(user)
    origin = background.export(user)
    if not applications and not bookings and questionnaire is None and origin is None:
        return None
    items = []
    for a in applications:
        tests = db.session.scalars(select(TestResult).where(TestResult.application_id == a.id))
        decisions = db.session.scalars(select(Decision).where(
            Decision.application_id == a.id, Decision.outcome == "confirmed"))
        items.append({
            "reference": a.reference, "intake": a.intake.name, "status": a.status,
            "component": a.component, "submitted_at": a.submitted_at,
            "decided_at": a.decided_at, "answers": stored_answers.own(a),
            "adjustments": adjustments.export(a),
            # Whether it runs or is done, never the outcome or the vetting authority's reason.
            "security_screenings": registry.rows(
                registry.owned(SecurityScreening.application_id, a), "requested_at",
                ("status", lambda v: "in_progress" if v.is_open else "done"),
                ("done_at", "concluded_at")),
            "history": registry.rows(a.events, "action", "from_status", "to_status", "reason",
                                     "at"),
            "tests": [{"kind": t.kind, "passed": t.passed, "score": t.score,
                       **({"reason": health.decrypt_text(t.medical_reason)}
                          if t.medical_reason else {})} for t in tests],
            "decisions": registry.rows(decisions, "action", "reason_code", ("at", "resolved_at")),
            "messages": registry.rows(conversation.thread(a), "from_staff", "body",
                                      ("at", "created_at")),
            "review_requests": registry.rows(
                registry.owned(ReviewRequest.application_id, a), "contested", "reason",
                ("at", "created_at"), "outcome", "answer", "answered_at"),
        })
    return {
        "applications": items,
        "bookings": registry.rows(bookings, ("session", "session.place"),
                                  ("at", "session.starts_at"), "created_at", "cancelled_at"),
        **(questionnaire or {}),
        **(origin or {}),
    }


def _delete_applications(ids) -> None:
    """Applications with their whole file: history, convocation, tests, decisions, letters,
    messages and review requests."""
    registry.delete_children(
        ids, ApplicationMessage.application_id, ReviewRequest.application_id,
        ApplicationEvent.application_id, Convocation.application_id,
        TestResult.application_id, Decision.application_id,
        SecurityScreening.application_id)
    adjustments.delete_of(ids)
    letter_services.delete_of_subjects(Application, ids)
    registry.delete_rows(Application, Application.id.in_(ids))


def _minimise(application: Application) -> None:
    """What a kept record does not need: the answers, health data, screening notes and the
    address."""
    application.answers = "{}"
    application.health_answers = None
    adjustments.delete_of([application.id])
    _forget_medical_reasons([application.id])
    _forget_screening_notes([application.id])
    application.postcode = application.province = ""


def erase(user, actor, now, kept_subjects=None, **_kw) -> registry.Erased:
    def keeps(a: Application) -> registry.Kept | None:
        if a.status in SERVED:
            return registry.Kept(registry.N_("Your service record"), None, registry.N_(
                "The law on military personnel keeps the record of your service."))
        return registry.under_appeal(a.decided_at, now, registry.N_(
            "The decision on your application and how it was reached"))

    result = registry.Erased()
    registry.keep_or_delete(result, _applications(user), kind="applications", keeps=keeps,
                            minimise=_minimise, remove=_delete_applications,
                            kept_subjects=kept_subjects)
    registry.delete_owned(result, user, bookings=Booking.user_id)
    result.counts["interests"] = interest.erase(user)
    result.counts["background_answers"] = background.erase(user)
    return result


def deletion_dates(user, days: dict) -> list[registry.DeletionDate]:
    dates = []
    for a in _applications(user):
        if a.status in CLOSED:
            dates.append(registry.DeletionDate(
                _l("Application %(reference)s", reference=a.reference),
                registry.days_after(a.status_changed_at, days["applications_closed"])))
        else:
            dates.append(registry.DeletionDate(
                _l("Application %(reference)s", reference=a.reference), None,
                _l("Kept while your application runs or you serve; the schedule starts when "
                   "it ends.")))
        for screening in db.session.scalars(select(SecurityScreening).where(
                SecurityScreening.application_id == a.id)):
            dates.append(registry.DeletionDate(
                _l("Your security screening (application %(reference)s)",
                   reference=a.reference),
                screening_deletion_date(screening, a.status, days),
                None if screening.concluded_at is not None and a.status not in SELECTION_PENDING
                else _l("Kept while it runs and until the decision on your application.")))
        health_on = health_deletion_date(a, days)
        if health_on is not None and a.health_answers:
            dates.append(registry.DeletionDate(
                _l("Your health answers (application %(reference)s)", reference=a.reference),
                health_on))
    return dates


def screening_deletion_date(screening: SecurityScreening, status: str, days: dict
                            ) -> date | None:
    """The day the purge removes a security screening: the configured days after its
    outcome is final; None while it runs or a selection still waits for it."""
    if screening.concluded_at is None or status in SELECTION_PENDING:
        return None
    return registry.days_after(screening.concluded_at, days["security_screenings"])


def health_deletion_date(application: Application, days: dict) -> date | None:
    """The day the purge removes the application's health answers and medical reason, as
    the schedule stands (`days` is RETENTION_DAYS); None while the medical test is not past,
    when the clock has not started. A later status change moves the date: the period
    counts from the last one. A closed application's whole file may go sooner."""
    if application.status not in PAST_MEDICAL or application.status_changed_at is None:
        return None
    period = days["health_answers"]
    if application.status in CLOSED:
        period = min(period, days["applications_closed"])
    return registry.days_after(application.status_changed_at, period)


def holds_users():
    return select(Application.user_id).where(Application.status.in_(OPEN))


def _forget_medical_reasons(ids) -> None:
    registry.update_rows(TestResult, TestResult.application_id.in_(ids),
                         TestResult.medical_reason.is_not(None), medical_reason=None)


def _forget_screening_notes(ids) -> None:
    registry.update_rows(SecurityScreening, SecurityScreening.application_id.in_(ids),
                         SecurityScreening.note != "", note="")


def _forget_health(ids) -> None:
    registry.update_rows(Application, Application.id.in_(ids), health_answers=None)
    _forget_medical_reasons(ids)
    adjustments.delete_of(ids)


purge_closed = registry.older(Application.status_changed_at, Application.status.in_(CLOSED),
                              remove=_delete_applications)
# Security screenings whose outcome became final before the cutoff, unless a selection
# still waits for them (a favourable outcome lets a waitlisted candidate be offered a place
# later).
purge_screenings = registry.older(
    SecurityScreening.concluded_at, SecurityScreening.application_id.in_(
        select(Application.id).where(Application.status.not_in(SELECTION_PENDING))))
# The health answers (the medical test's reason, the adjustments asked for the day) once
# the tests are long past.
purge_health = registry.older(
    Application.status_changed_at, Application.status.in_(PAST_MEDICAL),
    db.or_(Application.health_answers.is_not(None),
           Application.id.in_(select(TestResult.application_id).where(
               TestResult.medical_reason.is_not(None))),
           Application.id.in_(select(adjustments.Adjustment.application_id))),
    remove=_forget_health)


PART = registry.Part(
    name="applications",
    label=_l("Your applications"),
    export=export,
    erase=erase,
    deletion_dates=deletion_dates,
    holds_users=holds_users,
    labels=LABELS,
    order=10,
    rules=(
        registry.Rule(
            kind="applications_closed",
            label=_l("Applications that ended without service"),
            purpose=_l("Select candidates for the service year within the quota"),
            legal_basis=registry.CONSENT_AND_RECRUITING,
            categories=_l("Identity, contact details, answers, test results, decisions, "
                          "letters"),
            since=_l("the application's last status change"),
            purge=purge_closed,
            recipients=_l("Recruiters and medical staff of Defence"),
        ),
        registry.Rule(
            kind="health_answers",
            label=_l("Health answers"),
            purpose=_l("Prepare the medical test of selection"),
            legal_basis=_l("Explicit consent (GDPR Art. 9(2)(a)) and the assessment of "
                           "fitness for service (Art. 9(2)(h))"),
            categories=_l("Answers to the health questions and adjustments asked for the "
                          "selection day (special category)"),
            since=_l("the application's last status change once the tests are past"),
            purge=purge_health,
            recipients=_l("Medical staff of Defence; the adjustments also the recruiters of "
                          "the selection day"),
        ),
        registry.Rule(
            kind="security_screenings",
            label=_l("Security screenings"),
            purpose=_l("Admit to military service only candidates the vetting authority "
                       "cleared"),
            legal_basis=registry.RECRUITING,
            categories=_l("The request to the vetting authority, its outcome and the security "
                          "officers' note"),
            since=_l("the final outcome, once no selection waits for it"),
            purge=purge_screenings,
            recipients=_l("Security officers of Defence and the vetting authority; recruiters "
                          "see where it stands"),
        ),
    ),
)
