"""Medical staff's work: the queue, reading health answers (audited), recording the medical
test. Each function takes plain values and the actor, audits and flushes; the view commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _

from portal import audit
from portal.applications import answers, health
from portal.applications import privacy as application_privacy
from portal.applications.medical import queue as medical_queue
from portal.applications.models import Application, ResultKind, Status, TestResult
from portal.applications.selection import check_day_reached, results_by_kind
from portal.applications.workflow import TransitionError, check_version
from portal.extensions import db
from portal.locking import lock
from portal.refusals import Refusal
from portal.security import Role


@dataclass(frozen=True)
class Retention:
    days: int  # RETENTION_DAYS["health_answers"]
    on: date | None  # None: the medical test is not behind the application yet


def _check_medical(actor) -> None:
    # Views are guarded by role too; services refuse on their own, for the CLI and jobs.
    if Role(actor.role) != Role.MEDICAL_STAFF:
        raise Refusal(_("Only medical staff read health answers and record the medical test."))


def queue(actor, filters: medical_queue.Filters, per_page: int) -> medical_queue.Page:
    """A page of the convoked candidates, earliest selection day first (see queue.py)."""
    _check_medical(actor)
    return medical_queue.page(filters, per_page)


def retention(actor, application: Application) -> Retention:
    """When the retention schedule deletes this application's health answers and medical
    reason: the configured days, and the date once the clock runs (None before)."""
    _check_medical(actor)
    days = current_app.config["RETENTION_DAYS"]
    return Retention(days["health_answers"],
                     application_privacy.health_deletion_date(application, days))


def application_for(actor, application_id: int) -> Application | None:
    """A submitted application for medical staff, or None (the view answers 404)."""
    _check_medical(actor)
    application = db.session.get(Application, application_id)
    if application is None or application.status == Status.DRAFT:
        return None
    return application


def read_health_answers(actor, application: Application) -> list[tuple[str, str]]:
    """The health answers in words; the reading is audited (who, which, when; no answer)."""
    _check_medical(actor)
    rows = answers.health_rows(application)
    audit.record(actor, "application.health_viewed", application, held=bool(rows))
    db.session.flush()
    return rows


def medical_result(actor, application: Application) -> tuple[TestResult | None, str]:
    """The recorded medical test and its reason in clear (medical staff only)."""
    _check_medical(actor)
    result = results_by_kind(application).get(ResultKind.MEDICAL)
    reason = health.decrypt_text(result.medical_reason) if result and result.medical_reason \
        else ""
    return result, reason


def record_medical(application: Application, fit: bool, reason: str, actor,
                   version: int | None) -> TestResult:
    """Record (or correct) the medical test: fit or unfit, with the reason, encrypted.

    The recruiters then conclude the tests as before: all four passed, or one failed.
    """
    _check_medical(actor)
    lock(application)
    check_version(application, version)
    if application.status != Status.TESTS_SCHEDULED:
        raise TransitionError(_("Test results can only be recorded while tests are scheduled."))
    check_day_reached(application, "fit")
    reason = (reason or "").strip()
    if not fit and not reason:
        raise Refusal(_("Give the reason for unfitness."), "reason")
    token = health.encrypt_text(reason) if reason else None
    result = results_by_kind(application).get(ResultKind.MEDICAL)
    previous = None
    if result is None:
        result = TestResult(application_id=application.id, kind=ResultKind.MEDICAL,
                            passed=fit, score=None, medical_reason=token,
                            recorded_by_id=actor.id)
        db.session.add(result)
    else:
        previous = {"fit": result.passed}
        result.passed, result.score, result.medical_reason = fit, None, token
        result.recorded_by_id = actor.id
    application.version += 1
    audit.record(actor, "application.medical_recorded", application, fit=fit,
                 previous=previous)
    db.session.flush()
    return result
