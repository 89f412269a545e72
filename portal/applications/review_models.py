"""Recruiter-side records: selection days, test results and four-eyes decisions."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import Application, Intake
from portal.extensions import db
from portal.models import TimestampMixin, UTCDateTime, utcnow

# The queue sorts by submission date within an intake; the decision clock runs on
# status_changed_at. Declared here so the recruiter queue keeps its own indexes.
Index("ix_applications_intake_submitted", Application.intake_id, Application.submitted_at)
Index("ix_applications_intake_status_changed", Application.intake_id, Application.status,
      Application.status_changed_at)


class ResultKind(StrEnum):
    """The four tests of selection."""

    MEDICAL = "medical"
    PSYCHOTECHNICAL = "psychotechnical"
    SPORTS = "sports"
    INTERVIEW = "interview"


class SelectionDay(TimestampMixin, db.Model):
    """A day of tests at the selection centre, with a number of places."""

    __tablename__ = "selection_days"
    __table_args__ = (UniqueConstraint("intake_id", "day", "place"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int]

    intake: Mapped[Intake] = relationship()


class Convocation(db.Model):
    """The selection day an application is convoked to (one per application)."""

    __tablename__ = "convocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    selection_day_id: Mapped[int] = mapped_column(ForeignKey("selection_days.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    selection_day: Mapped[SelectionDay] = relationship()


class TestResult(db.Model):
    """One test's outcome for an application; re-recording updates it (and is audited)."""

    __tablename__ = "test_results"
    __test__ = False  # not a pytest test class
    __table_args__ = (UniqueConstraint("application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    passed: Mapped[bool]
    score: Mapped[float] = mapped_column(Numeric(5, 2))  # 0-100
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Decision(db.Model):
    """A final selection or rejection proposed by one recruiter, confirmed by another.

    A partial unique index allows one open proposal per application, so a second
    proposal (or a double POST) cannot open beside the first.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        Index(
            "uq_decisions_open_per_application", "application_id", unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    action: Mapped[str] = mapped_column(String(10))  # select | reject
    component: Mapped[str | None] = mapped_column(String(10))
    reason_code: Mapped[str] = mapped_column(String(30), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # The application's version when proposed: a change meanwhile voids the proposal.
    application_version: Mapped[int]
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(10))  # confirmed | cancelled

    application: Mapped[Application] = relationship()

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
