"""The training year: units plan periods and assign reservists; reservists confirm or ask
to swap; units record attendance. Also the read side other domains use (employers):
`periods_of(user_id, year)` and `served_days(user_id, year)`.

Assignment life cycle (one table): planned → confirmed | swap_requested → served |
cancelled; a refused swap goes back to planned.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func

from portal import audit, clock, dateranges
from portal.accounts.models import User
from portal.applications.intakes.booking import Places
from portal.extensions import db
from portal.models import utcnow
from portal.notifications import messages
from portal.refusals import Refusal
from portal.reserve import notify, vocab
from portal.reserve.engagements import minimum_days
from portal.reserve.models import (
    Assignment,
    AssignmentStatus,
    Engagement,
    EngagementStatus,
    PeriodKind,
    TrainingPeriod,
    Unit,
    UnitMember,
)
from portal.reserve.signals import assignment_changed
from portal.security import Role

A = AssignmentStatus
RESERVIST = "reservist"
UNIT = "unit"  # unit staff of the period's unit, or an administrator

# (from_status, action) -> (to_status, who)
MOVES = {
    (A.PLANNED, "confirm"): (A.CONFIRMED, RESERVIST),
    (A.PLANNED, "request_swap"): (A.SWAP_REQUESTED, RESERVIST),
    (A.CONFIRMED, "request_swap"): (A.SWAP_REQUESTED, RESERVIST),
    (A.SWAP_REQUESTED, "accept_swap"): (A.CANCELLED, UNIT),
    (A.SWAP_REQUESTED, "refuse_swap"): (A.PLANNED, UNIT),
    (A.PLANNED, "record_attendance"): (A.SERVED, UNIT),
    (A.CONFIRMED, "record_attendance"): (A.SERVED, UNIT),
    (A.SERVED, "record_attendance"): (A.SERVED, UNIT),
    (A.PLANNED, "cancel"): (A.CANCELLED, UNIT),
    (A.CONFIRMED, "cancel"): (A.CANCELLED, UNIT),
    (A.SWAP_REQUESTED, "cancel"): (A.CANCELLED, UNIT),
}
COUNTING = (A.PLANNED, A.CONFIRMED, A.SWAP_REQUESTED, A.SERVED)  # hold a place, count days
SERVING = (EngagementStatus.APPROVED, EngagementStatus.ACTIVE)
# The longest training period, first and last day included.
LONGEST_PERIOD_DAYS = 61


def units_of(user) -> list[Unit]:
    """The units a user plans for: an administrator all of them, unit staff their own."""
    query = db.select(Unit).order_by(Unit.name)
    if user.role != Role.ADMIN:
        query = query.join(UnitMember, UnitMember.unit_id == Unit.id).where(
            UnitMember.user_id == user.id)
    return db.session.scalars(query).all()


def works_for(user, unit_id: int) -> bool:
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.UNIT_STAFF and db.session.get(UnitMember, (unit_id, user.id)) \
        is not None


def _check_dates(starts_on: date | None, ends_on: date | None, capacity: int | None) -> None:
    if starts_on is None or ends_on is None:
        raise Refusal(_("Give the first and the last day."), field="starts_on")
    if ends_on < starts_on:
        raise Refusal(_("The last day must be on or after the first day."), field="ends_on")
    if (ends_on - starts_on).days >= LONGEST_PERIOD_DAYS:
        raise Refusal(_("A training period lasts at most 61 days."), field="ends_on")
    if capacity is None or capacity < 1:
        raise Refusal(_("The capacity must be at least 1."), field="capacity")


def plan_period(unit: Unit, actor, *, kind: str, starts_on: date, ends_on: date, place: str,
                capacity: int, notes: str = "") -> TrainingPeriod:
    if not works_for(actor, unit.id):
        raise Refusal(_("You are not allowed to take this action."))
    if kind not in set(PeriodKind) - {PeriodKind.CALL_UP}:
        raise Refusal(_("Choose the kind of training."), field="kind")
    _check_dates(starts_on, ends_on, capacity)
    if not place.strip():
        raise Refusal(_("Give the place."), field="place")
    period = TrainingPeriod(unit_id=unit.id, kind=kind, starts_on=starts_on, ends_on=ends_on,
                            place=place.strip(), capacity=capacity, notes=notes.strip(),
                            created_by_id=actor.id)
    db.session.add(period)
    db.session.flush()
    audit.record(actor, "reserve.period_planned", period, unit=unit.code,
                 starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    return period


def taken(period_id: int) -> int:
    return db.session.scalar(db.select(func.count()).select_from(Assignment).where(
        Assignment.period_id == period_id, Assignment.status.in_(COUNTING))) or 0


# A period's places: its row is locked before they are counted (see applications' booking).
PERIOD_PLACES = Places(TrainingPeriod, taken)


def _overlapping(engagement_id: int, period: TrainingPeriod) -> TrainingPeriod | None:
    return db.session.scalar(
        db.select(TrainingPeriod).join(Assignment, Assignment.period_id == TrainingPeriod.id)
        .where(Assignment.engagement_id == engagement_id, Assignment.status.in_(COUNTING),
               TrainingPeriod.id != period.id, TrainingPeriod.cancelled_at.is_(None),
               TrainingPeriod.starts_on <= period.ends_on,
               TrainingPeriod.ends_on >= period.starts_on)
        .limit(1))


def assign(period: TrainingPeriod, engagement: Engagement, actor) -> Assignment:
    """Assign a reservist to a period, within its capacity, without overlaps. Flushes.

    The period row is locked first, so two staff filling the last place at the same
    moment are counted one after the other.
    """
    if not works_for(actor, period.unit_id):
        raise Refusal(_("You are not allowed to take this action."))
    period = PERIOD_PLACES.lock(period.id)
    if period.cancelled:
        raise Refusal(_("This training period is cancelled."))
    if engagement.status not in SERVING or engagement.unit_id != period.unit_id:
        raise Refusal(_("Only approved reservists of this unit can be assigned."),
                      field="engagement_id")
    existing = db.session.scalar(db.select(Assignment).where(
        Assignment.period_id == period.id, Assignment.engagement_id == engagement.id))
    if existing is not None and existing.status in COUNTING:
        raise Refusal(_("This reservist is already assigned to this period."),
                      field="engagement_id")
    if PERIOD_PLACES.left(period) <= 0:
        raise Refusal(_("The period is full: its capacity is %(n)d.", n=period.capacity),
                      field="engagement_id")
    clash = _overlapping(engagement.id, period)
    if clash is not None:
        raise Refusal(_("This reservist already has a period at that time (%(start)s to "
                        "%(end)s).", start=format_date(clash.starts_on, "long"),
                        end=format_date(clash.ends_on, "long")), field="engagement_id")
    if engagement.start_date is not None and (
            dateranges.outside(period.starts_on, engagement.start_date, engagement.end_date)
            or dateranges.outside(period.ends_on, engagement.start_date, engagement.end_date)):
        start = format_date(engagement.start_date, "long")
        raise Refusal(_("This period lies outside the reservist's engagement, from %(start)s "
                        "to %(end)s.", start=start, end=format_date(engagement.end_date, "long"))
                      if engagement.end_date else
                      _("This period lies before the reservist's engagement, which starts on "
                        "%(start)s.", start=start), field="engagement_id")
    for off in engagement.unavailable:
        if off.starts_on <= period.ends_on and off.ends_on >= period.starts_on:
            raise Refusal(_("The reservist said they cannot serve from %(start)s to %(end)s.",
                            start=format_date(off.starts_on, "long"),
                            end=format_date(off.ends_on, "long")),
                          field="engagement_id")
    if existing is not None:  # assigned again after a cancellation: the same calendar entry
        assignment = existing
        assignment.status = A.PLANNED
        assignment.assigned_at = utcnow()
        assignment.sequence += 1
        assignment.swap_reason = assignment.swap_answer = ""
    else:
        assignment = Assignment(period_id=period.id, engagement_id=engagement.id,
                                user_id=engagement.user_id)
        db.session.add(assignment)
    db.session.flush()
    audit.record(actor, "reserve.assigned", assignment, period=period.id,
                 engagement=engagement.reference)
    _tell(assignment, "assign", actor)
    return assignment


def move(assignment: Assignment, action: str, actor, *, reason: str = "",
         served_days: int | None = None) -> Assignment:
    """One move of an assignment by the reservist or the unit, as MOVES allows. Flushes."""
    key = (AssignmentStatus(assignment.status), action)
    if key not in MOVES:
        raise Refusal(_("This action is not possible in the period's current state."))
    to_status, who = MOVES[key]
    if who == RESERVIST and actor.id != assignment.user_id:
        raise Refusal(_("You are not allowed to take this action."))
    if who == UNIT and not works_for(actor, assignment.period.unit_id):
        raise Refusal(_("You are not allowed to take this action."))
    if action == "request_swap":
        if len(reason.strip()) < 5:
            raise Refusal(_("Tell the unit why you need to swap this period."), field="reason")
        if assignment.period.starts_on <= clock.today():
            raise Refusal(_("This period has already started."))
        assignment.swap_reason = reason.strip()
    if action in ("accept_swap", "refuse_swap"):
        assignment.swap_answer = reason.strip()
    if action == "record_attendance":
        if assignment.period.starts_on > clock.today():
            raise Refusal(_("Attendance can be recorded once the period has started."),
                          field="served_days")
        if served_days is None or not 0 <= served_days <= assignment.period.days:
            raise Refusal(_("Served days must be between 0 and %(n)d.",
                            n=assignment.period.days), field="served_days")
        assignment.served_days = served_days
        assignment.attendance_recorded_at = utcnow()
        assignment.attendance_recorded_by_id = actor.id
    if action == "confirm":
        assignment.confirmed_at = utcnow()
    assignment.status = to_status
    assignment.sequence += 1
    db.session.flush()
    audit.record(actor, f"reserve.assignment.{action}", assignment,
                 to_status=str(to_status), reason=reason.strip())
    _tell(assignment, action, actor, answer=reason if who == UNIT else "")
    return assignment


def cancel_period(period: TrainingPeriod, actor, reason: str = "") -> None:
    if not works_for(actor, period.unit_id):
        raise Refusal(_("You are not allowed to take this action."))
    if period.cancelled:
        raise Refusal(_("This training period is cancelled."))
    period.cancelled_at = utcnow()
    period.sequence += 1
    for assignment in period.assignments:
        if assignment.status in (A.PLANNED, A.CONFIRMED, A.SWAP_REQUESTED):
            assignment.status = A.CANCELLED
            assignment.sequence += 1
            _tell(assignment, "cancel", actor, answer=reason)
    db.session.flush()
    audit.record(actor, "reserve.period_cancelled", period, reason=reason)


def _tell(assignment: Assignment, action: str, actor, answer: str = "") -> None:
    """Announce the change; its message (notifications.messages) tells the reservist the
    period, the unit's notes for it and the unit's answer or reason, when there are."""
    assignment_changed.send(assignment, action=action, actor=actor)
    entry = messages.message("assignment", action)
    period = assignment.period
    user = db.session.get(User, assignment.user_id)
    lines = [*entry.render(days=assignment.served_days),
             messages.Line(messages.PERIOD_LINE,
                           kind=vocab.KIND_LABELS[PeriodKind(period.kind)],
                           start=period.starts_on, end=period.ends_on, place=period.place)]
    if period.notes and action in ("assign", "refuse_swap"):
        lines.append(messages.Line(messages.UNIT_NOTES_LINE, notes=period.notes))
    if answer.strip():
        lines.append(messages.Line(messages.UNIT_ANSWER_LINE, answer=answer.strip()))
    notify.later(user, entry.subject, *lines, endpoint="reserve.year",
                 link_label=entry.link_label)


# The read side: a reservist's periods and days, also for other domains (employers).

def periods_of(user_id: int, year: int | None = None, *, include_cancelled: bool = False
               ) -> list[Assignment]:
    """A reservist's assignments with their periods (dates, place, kind, notice_days)."""
    query = (db.select(Assignment).join(TrainingPeriod)
             .where(Assignment.user_id == user_id).order_by(TrainingPeriod.starts_on))
    if year is not None:
        query = query.where(TrainingPeriod.starts_on >= date(year, 1, 1),
                            TrainingPeriod.starts_on <= date(year, 12, 31))
    if not include_cancelled:
        query = query.where(Assignment.status.in_(COUNTING),
                            TrainingPeriod.cancelled_at.is_(None))
    return db.session.scalars(query).all()


def served_days(user_id: int, year: int) -> int:
    """Days the unit recorded as served in periods starting in `year`."""
    return db.session.scalar(
        db.select(func.coalesce(func.sum(Assignment.served_days), 0))
        .join(TrainingPeriod).where(
            Assignment.user_id == user_id, Assignment.status == A.SERVED,
            TrainingPeriod.starts_on >= date(year, 1, 1),
            TrainingPeriod.starts_on <= date(year, 12, 31))) or 0


def leave_days(served: int) -> float:
    """Compensatory leave earned: RESERVE_LEAVE_PER_SERVED_DAY per day served, in half days."""
    earned = served * current_app.config["RESERVE_LEAVE_PER_SERVED_DAY"]
    return math.floor(earned * 2) / 2


@dataclass(frozen=True)
class YearSummary:
    year: int
    committed: int
    minimum: int
    planned: int
    served: int
    leave: float

    @property
    def warnings(self) -> list[str]:
        found = []
        if self.planned < self.minimum:
            found.append(_("%(planned)d days planned: below the minimum of %(min)d days a year.",
                           planned=self.planned, min=self.minimum))
        elif self.planned < self.committed:
            found.append(_("%(planned)d days planned of the %(committed)d committed.",
                           planned=self.planned, committed=self.committed))
        if self.planned > self.committed:
            found.append(_("%(planned)d days planned: more than the %(committed)d committed.",
                           planned=self.planned, committed=self.committed))
        return found


def year_summary(engagement: Engagement, year: int) -> YearSummary:
    planned = sum(a.period.days for a in periods_of(engagement.user_id, year))
    served = served_days(engagement.user_id, year)
    return YearSummary(year=year, committed=engagement.days_per_year,
                       minimum=minimum_days(engagement.rank_category), planned=planned,
                       served=served, leave=leave_days(served))


def planned_days_by_engagement(engagement_ids, year: int) -> dict[int, int]:
    """Days planned in `year` per engagement, for a page of reservists, in one query."""
    days = TrainingPeriod.ends_on - TrainingPeriod.starts_on
    if db.session.get_bind().dialect.name == "sqlite":
        days = func.julianday(TrainingPeriod.ends_on) - func.julianday(TrainingPeriod.starts_on)
    rows = db.session.execute(
        db.select(Assignment.engagement_id, func.sum(days + 1))
        .join(TrainingPeriod)
        .where(Assignment.engagement_id.in_(list(engagement_ids)),
               Assignment.status.in_(COUNTING), TrainingPeriod.cancelled_at.is_(None),
               TrainingPeriod.starts_on >= date(year, 1, 1),
               TrainingPeriod.starts_on <= date(year, 12, 31))
        .group_by(Assignment.engagement_id)).all()
    return {engagement_id: int(total or 0) for engagement_id, total in rows}
