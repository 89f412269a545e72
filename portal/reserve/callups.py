"""Call-ups: an exercise call-up or a crisis availability request to the reservists with an
active engagement in chosen units and/or pillars. Each reservist reached gets one answer
row (no answer yet → available | not available); unit staff read the answers of call-ups
that reach their own units only. After the last day, the days of those who answered
"available" count as served: `count_served`, run daily."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint, false, literal, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import audit, clock
from portal.accounts.models import User
from portal.extensions import db
from portal.models import UTCDateTime, utcnow
from portal.refusals import Refusal
from portal.reserve import notify
from portal.reserve.models import (
    Assignment,
    AssignmentStatus,
    Engagement,
    EngagementStatus,
    PeriodKind,
    Pillar,
    TrainingPeriod,
    UnitMember,
)
from portal.reserve.signals import call_up_sent
from portal.reserve.training import works_for
from portal.security import Role


class CallUpKind(StrEnum):
    EXERCISE = "exercise"
    CRISIS = "crisis"


class CallUp(db.Model):
    __tablename__ = "reserve_call_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    answer_by: Mapped[date] = mapped_column(Date)
    # The targets, comma-separated: unit ids and pillar codes.
    unit_ids: Mapped[str] = mapped_column(Text, default="")
    pillars: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    answers: Mapped[list[CallUpAnswer]] = relationship(back_populates="call_up",
                                                       order_by="CallUpAnswer.id")

    @property
    def target_units(self) -> set[int]:
        return {int(x) for x in self.unit_ids.split(",") if x}


class CallUpAnswer(db.Model):
    __tablename__ = "reserve_call_up_answers"
    __table_args__ = (UniqueConstraint("call_up_id", "engagement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_up_id: Mapped[int] = mapped_column(ForeignKey("reserve_call_ups.id"), index=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("reserve_engagements.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    available: Mapped[bool | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Once the call-up's days have passed, an available reservist's days are counted as
    # served through a training assignment (what served days and employers already read).
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("training_assignments.id"))

    call_up: Mapped[CallUp] = relationship(back_populates="answers")
    engagement: Mapped[Engagement] = relationship()


def _not_allowed() -> Refusal:
    return Refusal(_("You are not allowed to take this action."))


def create(actor, *, title: str, kind: str, starts_on: date, ends_on: date, answer_by: date,
           unit_ids=(), pillars=()) -> CallUp:
    """Create a call-up and one open answer per reservist it reaches. Unit staff call up
    their own units only; pillars are for recruiters and administrators."""
    unit_ids, pillars = sorted(set(unit_ids)), sorted(set(pillars))
    if pillars and actor.role not in (Role.RECRUITER, Role.ADMIN):
        raise _not_allowed()
    if actor.role != Role.RECRUITER and not all(works_for(actor, u) for u in unit_ids):
        raise _not_allowed()
    if kind not in set(CallUpKind) or not set(pillars) <= set(Pillar):
        raise Refusal(_("Choose the kind of call-up."), field="kind")
    if not (unit_ids or pillars):
        raise Refusal(_("Choose at least one unit or pillar."), field="unit_ids")
    if not title.strip():
        raise Refusal(_("Give a title."), field="title")
    if ends_on < starts_on or answer_by > starts_on:
        raise Refusal(_("Check the dates."), field="starts_on")
    call_up = CallUp(title=title.strip(), kind=kind, starts_on=starts_on, ends_on=ends_on,
                     answer_by=answer_by, unit_ids=",".join(map(str, unit_ids)),
                     pillars=",".join(pillars), created_by_id=actor.id)
    db.session.add(call_up)
    db.session.flush()
    reached = db.session.scalars(
        db.select(Engagement).where(
            Engagement.status == EngagementStatus.ACTIVE,
            or_(Engagement.unit_id.in_(unit_ids), Engagement.pillar.in_(pillars)),
        ).order_by(Engagement.id)).all()
    for engagement in reached:
        row = CallUpAnswer(call_up_id=call_up.id, engagement_id=engagement.id,
                           user_id=engagement.user_id, call_up=call_up)
        db.session.add(row)
        _tell(db.session.get(User, engagement.user_id), call_up)
        call_up_sent.send(row)
    db.session.flush()
    audit.record(actor, "reserve.call_up_created", call_up, kind=kind, reached=len(reached),
                 starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    return call_up


def _tell(user: User, call_up: CallUp) -> None:
    subject = (_l("Crisis availability request of the Reserve")
               if call_up.kind == CallUpKind.CRISIS else _l("Call-up of the Reserve"))
    notify.later(
        user, subject,
        _l("%(title)s: from %(start)s to %(end)s.", title=call_up.title,
           start=notify.LongDate(call_up.starts_on), end=notify.LongDate(call_up.ends_on)),
        _l("Please tell us by %(deadline)s whether you are available.",
           deadline=notify.LongDate(call_up.answer_by)),
        endpoint="reserve_callups.mine", link_label=_l("Answer"))


def answer(row: CallUpAnswer, user, *, available: bool, reason: str = "") -> CallUpAnswer:
    """The reservist's answer (it may be changed; the answer-by date is not enforced)."""
    if row.user_id != user.id:
        raise _not_allowed()
    row.available = available
    row.reason = "" if available else reason.strip()[:1000]
    row.answered_at = utcnow()
    audit.record(user, "reserve.call_up_answered", row.call_up, available=available)
    return row


def visible_to(actor, call_up_id: int) -> CallUp | None:
    """The call-up if `actor` may read its answers: recruiters and administrators, unit
    staff when it reaches one of their units; otherwise None (a 404 for the views)."""
    call_up = db.session.get(CallUp, call_up_id)
    if call_up is None:
        return None
    if actor.role in (Role.RECRUITER, Role.ADMIN):
        return call_up
    if actor.role == Role.UNIT_STAFF and any(works_for(actor, u) for u in call_up.target_units):
        return call_up
    return None


def visible_newest_first(actor):
    """The statement of the call-ups visible_to `actor`, the newest first (for a list to
    page through)."""
    query = db.select(CallUp).order_by(CallUp.id.desc())
    if actor.role in (Role.RECRUITER, Role.ADMIN):
        return query
    units = db.session.scalars(db.select(UnitMember.unit_id).where(
        UnitMember.user_id == actor.id)).all() if actor.role == Role.UNIT_STAFF else []
    # unit_ids is a comma-separated list: ",3,17," contains ",3," for unit 3.
    targets = literal(",") + CallUp.unit_ids + literal(",")
    return query.where(or_(false(), *(targets.contains(f",{unit},") for unit in units)))


def _period(call_up: CallUp, unit_id: int) -> TrainingPeriod:
    """The period that carries a call-up's served days for one unit (made once)."""
    period = db.session.scalar(
        db.select(TrainingPeriod).join(Assignment, Assignment.period_id == TrainingPeriod.id)
        .join(CallUpAnswer, CallUpAnswer.assignment_id == Assignment.id)
        .where(CallUpAnswer.call_up_id == call_up.id, TrainingPeriod.unit_id == unit_id)
        .limit(1))
    if period is None:
        period = TrainingPeriod(unit_id=unit_id, kind=PeriodKind.CALL_UP,
                                starts_on=call_up.starts_on, ends_on=call_up.ends_on,
                                place=call_up.title[:120], capacity=0,
                                created_by_id=call_up.created_by_id)
        db.session.add(period)
        db.session.flush()
    return period


def count_served(today: date | None = None) -> int:
    """Daily: for call-ups whose last day has passed, count the days of each reservist who
    answered "available" as served (once). Returns how many reservists were counted."""
    today = today or clock.today()
    rows = db.session.scalars(
        db.select(CallUpAnswer).join(CallUp).join(Engagement)
        .where(CallUpAnswer.available.is_(True), CallUpAnswer.assignment_id.is_(None),
               CallUp.ends_on < today, Engagement.unit_id.is_not(None))
        .order_by(CallUpAnswer.id)).all()
    for row in rows:
        call_up, engagement = row.call_up, row.engagement
        period = _period(call_up, engagement.unit_id)
        assignment = Assignment(period_id=period.id, engagement_id=engagement.id,
                                user_id=engagement.user_id, status=AssignmentStatus.SERVED,
                                assigned_at=call_up.created_at, confirmed_at=row.answered_at,
                                served_days=period.days, attendance_recorded_at=utcnow())
        db.session.add(assignment)
        db.session.flush()
        row.assignment_id = assignment.id
        audit.record(None, "reserve.call_up_days_counted", call_up,
                     engagement=engagement.reference, days=period.days)
    return len(rows)
