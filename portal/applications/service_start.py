"""The start of the service year: an accepted place becomes service on the intake's start
date, moved by the daily `flask applications start-service` or by a recruiter who records
the first day's attendance. Both go through workflow.transition (audit, event, message)."""
from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from portal import clock
from portal.applications.models import Application, Intake, Status
from portal.applications.workflow import SYSTEM, check_version, transition
from portal.extensions import db
from portal.refusals import Refusal

# The reasons recorded with the move (the review page shows them in words).
BY_COMMAND = "service year started"
BY_ATTENDANCE = "present on the first day"


def start_due(today: date | None = None) -> list[Application]:
    """Daily: every accepted place whose intake started by `today` moves into service.
    Running it twice changes nothing the second time. Flushes; the command commits."""
    return move_started(Status.OFFER_ACCEPTED, today or clock.today(), "start_service",
                        BY_COMMAND)


def move_started(status: Status, started_by: date, action: str, reason: str
                 ) -> list[Application]:
    """The portal makes `action` on every application in `status` whose intake started by
    `started_by`, oldest first; returns them. Flushes."""
    due = db.session.scalars(
        db.select(Application).join(Intake)
        .where(Application.status == status, Intake.start_date <= started_by)
        .order_by(Application.id)
    ).all()
    for application in due:
        transition(application, action, SYSTEM, reason)
    return due


def record_first_day(application: Application, actor, version: int | None,
                     today: date | None = None) -> None:
    """A recruiter records that the participant came on the first day: the year starts."""
    today = today or clock.today()
    check_version(application, version)
    start = application.intake.start_date
    if today < start:
        raise Refusal(_("The service year starts on %(date)s: record the first day's "
                        "attendance from that day on.", date=format_date(start, "long")))
    transition(application, "start_service", actor, BY_ATTENDANCE, version=version)

