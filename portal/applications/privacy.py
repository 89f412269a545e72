"""The applications domain's share of export, erasure and retention."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

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
    "reference": _l("Reference"),
    "intake": _l("Intake"),
    "status": _l("Status"),
    "component": _l("Component"),
    "submitted_at": _l("Submitted on"),
    "decided_at": _l("Decided on"),
    "answers": _l("Your answers"),
    "history": _l("History"),
    "action": _l("Action"),
    "from_status": _l("From"),
    "to_status": _l("To"),
    "reason": _l("Reason"),
    "at": _l("When"),
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
    "answer": _l("Answer"),
    "answered_at": _l("Answered on"),
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


def _applications(user):
    return db.session.scalars(
        select(Application).where(Application.user_id == user.id).order_by(Application.id)
    ).all()


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
            "security_screenings": [
                {"requested_at": v.requested_at,
                 "status": "in_progress" if v.is_open else "done", "done_at": v.concluded_at}
                for v in db.session.scalars(select(SecurityScreening).where(
                    SecurityScreening.application_id == a.id).order_by(SecurityScreening.id))],
            "history": [{"action": e.action, "from_status": e.from_status,
                         "to_status": e.to_status, "reason": e.reason, "at": e.at}
                        for e in a.events],
            "tests": [{"kind": t.kind, "passed": t.passed, "score": t.score,
                       **({"reason": health.decrypt_text(t.medical_reason)}
                          if t.medical_reason else {})} for t in tests],
            "decisions": [{"action": d.action, "reason_code": d.reason_code,
                           "at": d.resolved_at} for d in decisions],
            "messages": [{"from_staff": m.from_staff, "body": m.body, "at": m.created_at}
                         for m in conversation.thread(a)],
            "review_requests": [
                {"contested": r.contested, "reason": r.reason, "at": r.created_at,
                 "outcome": r.outcome, "answer": r.answer, "answered_at": r.answered_at}
                for r in db.session.scalars(select(ReviewRequest).where(
                    ReviewRequest.application_id == a.id).order_by(ReviewRequest.id))],
        })
    return {
        "applications": items,
        "bookings": [{"session": b.session.place, "at": b.session.starts_at,
                      "created_at": b.created_at, "cancelled_at": b.cancelled_at}
                     for b in bookings],
        **(questionnaire or {}),
        **(origin or {}),
    }


def _delete_files(ids) -> None:
    """An application's whole file: history, convocation, tests, decisions, letters,
    messages and review requests."""
    opts = {"synchronize_session": False}
    for model, column in ((ApplicationMessage, ApplicationMessage.application_id),
                          (ReviewRequest, ReviewRequest.application_id),
                          (ApplicationEvent, ApplicationEvent.application_id),
                          (Convocation, Convocation.application_id),
                          (TestResult, TestResult.application_id),
                          (Decision, Decision.application_id),
                          (SecurityScreening, SecurityScreening.application_id)):
        db.session.execute(delete(model).where(column.in_(ids)).execution_options(**opts))
    adjustments.delete_of(ids)
    letter_services.delete_of_subjects(Application, ids)


def erase(user, actor, now, kept_subjects=None, **_kw) -> registry.Erased:
    appeal = timedelta(days=current_app.config["APPEAL_PERIOD_DAYS"])
    result = registry.Erased()
    doomed = []
    for a in _applications(user):
        if a.status in SERVED:
            until, what, why = None, registry.N_("Your service record"), registry.N_(
                "The law on military personnel keeps the record of your service.")
        elif a.decided_at is not None and a.decided_at + appeal > now:
            until = (a.decided_at + appeal).date()
            what = registry.N_("The decision on your application and how it was reached")
            why = registry.N_("You may still appeal the decision: until then the law "
                              "requires us to keep it. Your answers were removed.")
        else:
            doomed.append(a.id)
            continue
        # Kept, minimised: the decision and its history, not the answers or the address.
        a.answers = "{}"
        a.health_answers = None
        adjustments.delete_of([a.id])
        _forget_medical_reasons([a.id])
        _forget_screening_notes([a.id])
        a.postcode = a.province = ""
        result.kept.append(registry.Kept(what, until, why))
        if kept_subjects is not None:
            kept_subjects.add(("Application", str(a.id)))
        result.counts["applications_minimised"] = (
            result.counts.get("applications_minimised", 0) + 1)
    if doomed:
        _delete_files(doomed)
        db.session.execute(delete(Application).where(Application.id.in_(doomed))
                           .execution_options(synchronize_session=False))
    result.counts["applications"] = len(doomed)
    result.counts["bookings"] = db.session.execute(
        delete(Booking).where(Booking.user_id == user.id)).rowcount
    result.counts["interests"] = interest.erase(user)
    result.counts["background_answers"] = background.erase(user)
    db.session.flush()
    db.session.expire_all()
    return result


def deletion_dates(user, days: dict) -> list[registry.DeletionDate]:
    dates = []
    for a in _applications(user):
        if a.status in CLOSED:
            dates.append(registry.DeletionDate(
                _l("Application %(reference)s", reference=a.reference),
                (a.status_changed_at + timedelta(days=days["applications_closed"])).date()))
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
    return (screening.concluded_at + timedelta(days=days["security_screenings"])).date()


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
    return (application.status_changed_at + timedelta(days=period)).date()


def holds_users():
    return select(Application.user_id).where(Application.status.in_(OPEN))


def purge_closed(cutoff, now, dry_run: bool) -> int:
    doomed = select(Application.id).where(Application.status.in_(CLOSED),
                                          Application.status_changed_at < cutoff)
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(doomed.subquery())) or 0
    ids = db.session.scalars(doomed).all()
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        _delete_files(chunk)
        db.session.execute(delete(Application).where(Application.id.in_(chunk))
                           .execution_options(synchronize_session=False))
    return len(ids)


def _forget_medical_reasons(ids) -> None:
    db.session.execute(update(TestResult).where(
        TestResult.application_id.in_(ids), TestResult.medical_reason.is_not(None))
        .values(medical_reason=None).execution_options(synchronize_session=False))


def _forget_screening_notes(ids) -> None:
    db.session.execute(update(SecurityScreening).where(
        SecurityScreening.application_id.in_(ids), SecurityScreening.note != "")
        .values(note="").execution_options(synchronize_session=False))


def purge_screenings(cutoff, now, dry_run: bool) -> int:
    """Security screenings whose outcome became final before `cutoff`, unless a selection
    still waits for them (a favourable outcome lets a waitlisted candidate be offered a
    place later)."""
    doomed = select(SecurityScreening.id).join(
        Application, Application.id == SecurityScreening.application_id).where(
        SecurityScreening.concluded_at < cutoff, Application.status.not_in(SELECTION_PENDING))
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(doomed.subquery())) or 0
    ids = db.session.scalars(doomed).all()
    for start in range(0, len(ids), 5000):
        db.session.execute(delete(SecurityScreening).where(
            SecurityScreening.id.in_(ids[start:start + 5000]))
            .execution_options(synchronize_session=False))
    return len(ids)


def purge_health(cutoff, now, dry_run: bool) -> int:
    """The health answers (the medical test's reason, the adjustments asked for the day)
    once the tests are long past."""
    ids = db.session.scalars(select(Application.id).where(
        Application.status.in_(PAST_MEDICAL), Application.status_changed_at < cutoff,
        db.or_(Application.health_answers.is_not(None),
               Application.id.in_(select(TestResult.application_id).where(
                   TestResult.medical_reason.is_not(None))),
               Application.id.in_(select(adjustments.Adjustment.application_id))))).all()
    if ids and not dry_run:
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            db.session.execute(update(Application).where(Application.id.in_(chunk))
                               .values(health_answers=None)
                               .execution_options(synchronize_session=False))
            _forget_medical_reasons(chunk)
            adjustments.delete_of(chunk)
    return len(ids)


_DOMAIN_BASIS = _l("Consent and the public task of recruiting for Defence (GDPR Art. 6(1)(a) "
                   "and (e))")

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
            legal_basis=_DOMAIN_BASIS,
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
            legal_basis=_l("The public task of recruiting for Defence (GDPR Art. 6(1)(e))"),
            categories=_l("The request to the vetting authority, its outcome and the security "
                          "officers' note"),
            since=_l("the final outcome, once no selection waits for it"),
            purge=purge_screenings,
            recipients=_l("Security officers of Defence and the vetting authority; recruiters "
                          "see where it stands"),
        ),
    ),
)


def init_app(app) -> None:
    registry.contribute(app, PART)
