"""Another selection day: a convoked candidate moves their place to another day of the
intake, in one step, up to the intake's `reschedule_days` before the day they hold.

The new day's row is locked before its places are counted (booking.SELECTION_DAY_PLACES),
so two candidates racing for its last place are served one after the other; the old
place is free the moment the convocation points elsewhere. The move announces itself as
signals.convocation_changed, like a day staff edited: a new convocation that replaces
the earlier one, and a message.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from portal import audit
from portal.applications import selection
from portal.applications.intakes.booking import SELECTION_DAY_PLACES
from portal.applications.intakes.models import SelectionDay
from portal.applications.intakes.services import selection_days
from portal.applications.models import Application, Status
from portal.applications.signals import convocation_changed
from portal.applications.workflow import check_version
from portal.extensions import db
from portal.locking import lock
from portal.refusals import Refusal


class RescheduleError(Refusal):
    """A move to another selection day the rules refuse; `message` is for the candidate."""


def last_day_to_move(application: Application) -> date | None:
    """The last date on which the candidate may still move (None: not convoked)."""
    convocation = selection.convocation_of(application)
    if convocation is None:
        return None
    return convocation.selection_day.day - timedelta(days=application.intake.reschedule_days)


def can_move(application: Application, today: date) -> bool:
    deadline = last_day_to_move(application)
    return (application.status == Status.TESTS_SCHEDULED and deadline is not None
            and today <= deadline)


def other_days(application: Application, today: date) -> list[tuple[SelectionDay, int]]:
    """The intake's other selection days still far enough away, with the places left in
    each (full ones included, shown as full)."""
    current = selection.convocation_of(application)
    earliest = today + timedelta(days=application.intake.reschedule_days)
    return [(day, day.capacity - taken) for day, taken in selection_days(application.intake)
            if day.day >= earliest and (current is None or day.id != current.selection_day_id)]


def move(application: Application, day_id: int, actor, today: date,
         version: int | None = None) -> SelectionDay:
    """Move the candidate's convocation to selection day `day_id`; flushes, the caller
    commits (a RescheduleError: the caller rolls back)."""
    lock(application)
    check_version(application, version)
    if application.status != Status.TESTS_SCHEDULED:
        raise RescheduleError(_("Only a candidate convoked to the selection tests can choose "
                                "another selection day."))
    convocation = selection.convocation_of(application)
    deadline = last_day_to_move(application)
    if convocation is None or today > deadline:
        raise RescheduleError(_(
            "It is too late to choose another selection day: that was possible until "
            "%(days)d days before your selection day. Send us a message instead.",
            days=application.intake.reschedule_days))
    if convocation.selection_day_id == day_id:
        return convocation.selection_day  # the same request twice: nothing changes
    day = SELECTION_DAY_PLACES.lock(day_id)
    if day is None or day.intake_id != application.intake_id:
        raise RescheduleError(_("This selection day does not exist."), field="selection_day")
    if day.day < today + timedelta(days=application.intake.reschedule_days):
        raise RescheduleError(_("This selection day is too close: choose a later one."),
                              field="selection_day")
    if SELECTION_DAY_PLACES.left(day) <= 0:
        raise RescheduleError(_("This selection day is full. Choose another one."),
                              field="selection_day")
    old = convocation.selection_day
    convocation.selection_day_id = day.id
    convocation.selection_day = day
    application.version += 1
    db.session.flush()
    # Counted again inside the writing transaction (SQLite serialises writers).
    if SELECTION_DAY_PLACES.left(day) < 0:
        raise RescheduleError(_("This selection day is full. Choose another one."),
                              field="selection_day")
    event = audit.record(actor, "convocation.moved", application, from_day=old.id,
                         from_date=old.day.isoformat(), to_day=day.id,
                         to_date=day.day.isoformat())
    convocation_changed.send(application, selection_day=day, actor=actor,
                             key=f"moved-{event.id}")
    return day
