"""The Reserve's records: units and needed skills, end-of-year choices, engagements and
their history, proofs of expertise, training periods, assignments, attendance, feeds."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.lifecycle import EventRow
from portal.models import TimestampMixin, UTCDateTime, utcnow


class Pillar(StrEnum):
    SPECIALISED = "specialised"
    COMBAT = "combat"
    TERRITORIAL = "territorial"


class RankCategory(StrEnum):
    SOLDIER = "soldier"
    NCO = "nco"
    OFFICER = "officer"


class Availability(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"


class EngagementStatus(StrEnum):
    APPLIED = "applied"
    SCREENING = "screening"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


class Origin(StrEnum):
    SERVICE_YEAR = "service_year"  # chosen at the end of the service year
    DIRECT = "direct"  # applied directly (civilians, professionals)


class ChoiceStatus(StrEnum):
    OPEN = "open"
    CAREER = "career"
    RESERVE = "reserve"
    LEFT = "left"
    LAPSED = "lapsed"  # no answer by the deadline: counted as left


class PeriodKind(StrEnum):
    INITIAL = "initial"
    REFRESHER = "refresher"
    EXERCISE = "exercise"
    DEPLOYMENT_PREPARATION = "deployment_preparation"
    CALL_UP = "call_up"  # made by a call-up for its served days, not planned by a unit


class AssignmentStatus(StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    SWAP_REQUESTED = "swap_requested"
    SERVED = "served"
    CANCELLED = "cancelled"


class Skill(TimestampMixin, db.Model):
    """An expertise Defence needs in its specialised reserve (maintained by administrators)."""

    __tablename__ = "reserve_skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_nl: Mapped[str] = mapped_column(String(120))
    name_fr: Mapped[str] = mapped_column(String(120))
    name_de: Mapped[str] = mapped_column(String(120))
    needed: Mapped[bool] = mapped_column(default=True, server_default=true())

    def name(self, language: str) -> str:
        return getattr(self, f"name_{language}", None) or self.name_nl


class UnitSkill(db.Model):
    __tablename__ = "reserve_unit_skills"

    unit_id: Mapped[int] = mapped_column(ForeignKey("reserve_units.id"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("reserve_skills.id"), primary_key=True)


class Unit(TimestampMixin, db.Model):
    """A reserve unit: its pillar, where it is, the skills it needs and its free places."""

    __tablename__ = "reserve_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    pillar: Mapped[str] = mapped_column(String(20), index=True)
    province: Mapped[str] = mapped_column(String(20), default="")
    place: Mapped[str] = mapped_column(String(120), default="")  # garrison, e.g. "Leopoldsburg"
    places: Mapped[int] = mapped_column(default=0)  # reservists it still needs
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    skills: Mapped[list[Skill]] = relationship(secondary="reserve_unit_skills",
                                               order_by="Skill.code")


class UnitMember(db.Model):
    """Unit staff working for a unit (they plan its periods and record attendance)."""

    __tablename__ = "reserve_unit_members"

    unit_id: Mapped[int] = mapped_column(ForeignKey("reserve_units.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)


class YearEndChoice(TimestampMixin, db.Model):
    """The question put to a participant whose service year is completed."""

    __tablename__ = "reserve_year_end_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ChoiceStatus.OPEN, index=True)
    deadline: Mapped[date] = mapped_column(Date)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Career choices wait in the recruiters' career queue until one takes them up.
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Engagement(TimestampMixin, db.Model):
    """A reserve engagement, from the end-of-year choice or a direct application."""

    __tablename__ = "reserve_engagements"
    __table_args__ = (Index("ix_reserve_engagements_queue", "status", "pillar"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    origin: Mapped[str] = mapped_column(String(20), default=Origin.DIRECT)
    choice_id: Mapped[int | None] = mapped_column(ForeignKey("reserve_year_end_choices.id"))
    status: Mapped[str] = mapped_column(String(20), default=EngagementStatus.APPLIED)
    version: Mapped[int] = mapped_column(default=1)
    # Denormalised for the staff queue (filters, sort) and letters.
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(2), default="nl")
    # Home address, for the engagement letter's window and for suggestions.
    street: Mapped[str] = mapped_column(String(160), default="")
    postcode: Mapped[str] = mapped_column(String(4), default="")
    province: Mapped[str] = mapped_column(String(20), default="")
    pillar: Mapped[str] = mapped_column(String(20))
    rank_category: Mapped[str] = mapped_column(String(10), default=RankCategory.SOLDIER)
    days_per_year: Mapped[int]
    commitment_months: Mapped[int]
    availability: Mapped[str] = mapped_column(String(10), default=Availability.PART_TIME)
    # Territorial reserve: the province the candidate prefers.
    preferred_province: Mapped[str] = mapped_column(String(20), default="")
    expertise_text: Mapped[str] = mapped_column(Text, default="")
    motivation: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("reserve_units.id"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit | None] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary="reserve_engagement_skills",
                                               order_by="Skill.code")
    preferences: Mapped[list[UnitPreference]] = relationship(
        order_by="UnitPreference.rank", cascade="all, delete-orphan")
    unavailable: Mapped[list[UnavailablePeriod]] = relationship(
        order_by="UnavailablePeriod.starts_on", cascade="all, delete-orphan")
    events: Mapped[list[EngagementEvent]] = relationship(
        back_populates="engagement", order_by="EngagementEvent.id")
    proofs: Mapped[list[Proof]] = relationship(order_by="Proof.id")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class EngagementSkill(db.Model):
    __tablename__ = "reserve_engagement_skills"

    engagement_id: Mapped[int] = mapped_column(ForeignKey("reserve_engagements.id"),
                                               primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("reserve_skills.id"), primary_key=True)


class UnitPreference(db.Model):
    """A unit the candidate would like to serve in, ranked (1 = first choice)."""

    __tablename__ = "reserve_unit_preferences"
    __table_args__ = (UniqueConstraint("engagement_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("reserve_engagements.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("reserve_units.id"))
    rank: Mapped[int]

    unit: Mapped[Unit] = relationship()


class UnavailablePeriod(db.Model):
    """A period the candidate cannot serve (exams, a posting abroad, ...)."""

    __tablename__ = "reserve_unavailable_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("reserve_engagements.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)


class EngagementEvent(EventRow, db.Model):
    """One state change of an engagement: from, to, who, why, when."""

    __tablename__ = "reserve_engagement_events"

    engagement_id: Mapped[int] = mapped_column(ForeignKey("reserve_engagements.id"), index=True)
    engagement: Mapped[Engagement] = relationship(back_populates="events")


class Proof(db.Model):
    """An uploaded certificate or diploma. The bytes live under instance/, never in static/."""

    __tablename__ = "reserve_proofs"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("reserve_engagements.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(String(120))  # the uploaded name, cleaned
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TrainingPeriod(TimestampMixin, db.Model):
    """A training period a unit plans: dates, place, kind and how many it takes.

    Read by other domains (employers): dates, place, `notice_days` of each assignment.
    """

    __tablename__ = "training_periods"
    __table_args__ = (Index("ix_training_periods_unit_start", "unit_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("reserve_units.id"))
    kind: Mapped[str] = mapped_column(String(30))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int]
    notes: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped on each change that a calendar must pick up (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="period")

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class Assignment(TimestampMixin, db.Model):
    """A reservist assigned to a training period (planned → confirmed | swap requested →
    served | cancelled). `served_days` is the attendance the unit recorded."""

    __tablename__ = "training_assignments"
    __table_args__ = (
        UniqueConstraint("period_id", "engagement_id"),
        Index("ix_training_assignments_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("training_periods.id"), index=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("reserve_engagements.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default=AssignmentStatus.PLANNED)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    swap_reason: Mapped[str] = mapped_column(Text, default="")
    swap_answer: Mapped[str] = mapped_column(Text, default="")
    served_days: Mapped[int | None] = mapped_column(Integer)
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sequence: Mapped[int] = mapped_column(default=0)

    period: Mapped[TrainingPeriod] = relationship(back_populates="assignments")
    engagement: Mapped[Engagement] = relationship()

    @property
    def notice_days(self) -> int:
        """Days between the assignment and the first day of the period (employers read this)."""
        return (self.period.starts_on - self.assigned_at.date()).days


class CalendarFeed(db.Model):
    """A reservist's private calendar address. Only a hash of the token is stored."""

    __tablename__ = "reserve_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
