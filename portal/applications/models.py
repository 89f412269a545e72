"""Intakes of the service year, applications to them, their history, and what selection
records about them: convocations, test results and four-eyes decisions."""
from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.i18n import in_language
from portal.lifecycle import EventRow
from portal.models import TimestampMixin, UTCDateTime, unique_while_null, utcnow

if TYPE_CHECKING:
    from portal.applications.intakes.models import SelectionDay


class Component(StrEnum):
    LAND = "land"
    AIR = "air"
    NAVY = "navy"
    MEDICAL = "medical"
    CYBER = "cyber"


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SCREENING = "screening"
    TESTS_SCHEDULED = "tests_scheduled"
    TESTS_PASSED = "tests_passed"
    TESTS_FAILED = "tests_failed"
    SELECTED = "selected"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    OFFER_ACCEPTED = "offer_accepted"
    OFFER_DECLINED = "offer_declined"
    IN_SERVICE = "in_service"
    COMPLETED = "completed"
    CAREER = "career"
    RESERVE = "reserve"
    LEFT = "left"
    WITHDRAWN = "withdrawn"


class Intake(TimestampMixin, db.Model):
    """One levy of the service year (levée / lichting), with its quotas."""

    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # The name as candidates and letters give it in each language (empty: `name`).
    name_nl: Mapped[str] = mapped_column(String(80), server_default="")
    name_fr: Mapped[str] = mapped_column(String(80), server_default="")
    name_de: Mapped[str] = mapped_column(String(80), server_default="")
    applications_open: Mapped[date] = mapped_column(Date)
    applications_close: Mapped[date] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date)
    quota_total: Mapped[int]
    quota_land: Mapped[int] = mapped_column(default=0)
    quota_air: Mapped[int] = mapped_column(default=0)
    quota_navy: Mapped[int] = mapped_column(default=0)
    quota_medical: Mapped[int] = mapped_column(default=0)
    quota_cyber: Mapped[int] = mapped_column(default=0)
    min_age: Mapped[int] = mapped_column(default=18)
    max_age: Mapped[int] = mapped_column(default=25)
    nationality_rule: Mapped[str] = mapped_column(String(20), default="belgian")
    # Undecided applications and unanswered offers are flagged after this many days.
    flag_after_days: Mapped[int] = mapped_column(default=14)
    # A selected candidate has this many days to accept or decline the offer.
    offer_days: Mapped[int] = mapped_column(default=10)
    # Candidates must book an information session before they can apply.
    requires_info_session: Mapped[bool] = mapped_column(default=True, server_default=true())
    # A convoked candidate may move to another selection day up to this many days before
    # the day they hold (and only to a day at least as far away).
    # (Server defaults only, here and below: inserts written against an older schema, as
    # migration tests do, then leave these columns out.)
    reschedule_days: Mapped[int] = mapped_column(server_default="3")
    # The first day of service, as the offer letter, its page and its calendar event say it
    # (the date is start_date). Empty texts are left out.
    first_day_time: Mapped[time | None] = mapped_column(Time)
    first_day_place: Mapped[str] = mapped_column(String(200), server_default="")
    first_day_bring: Mapped[str] = mapped_column(Text, server_default="")
    first_day_pay: Mapped[str] = mapped_column(Text, server_default="")
    first_day_lodging: Mapped[str] = mapped_column(Text, server_default="")
    first_day_travel: Mapped[str] = mapped_column(Text, server_default="")
    # What the offer gives (offer_terms): pay per month in euro cents, the rank code
    # (offer_terms.RANK_LABELS), the function or trade, days of leave. Empty: left out.
    offer_pay_gross_cents: Mapped[int | None] = mapped_column()
    offer_pay_net_cents: Mapped[int | None] = mapped_column()
    offer_rank: Mapped[str] = mapped_column(String(20), server_default="")
    offer_function: Mapped[str] = mapped_column(String(200), server_default="")
    offer_leave_days: Mapped[int | None] = mapped_column()

    applications: Mapped[list[Application]] = relationship(back_populates="intake")

    @property
    def title(self):
        """The name in the language of the page or letter section it is printed in."""
        return in_language({"en": self.name, "nl": self.name_nl or self.name,
                            "fr": self.name_fr or self.name, "de": self.name_de or self.name})

    def quota_for(self, component: Component | str) -> int:
        return getattr(self, f"quota_{Component(component).value}")

    def is_open_on(self, day: date) -> bool:
        return self.applications_open <= day <= self.applications_close


class Application(TimestampMixin, db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("intake_id", "user_id"),
        Index("ix_applications_queue", "intake_id", "status", "component"),
        Index("ix_applications_intake_name", "intake_id", "last_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT)
    # Bumped on every change: a form carries it, a stale one is refused.
    version: Mapped[int] = mapped_column(default=1)
    # Denormalised for the recruiter queue (filters, search, sort).
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(2), default="nl")
    postcode: Mapped[str] = mapped_column(String(4), default="")
    # NIS code of the province (regions.PROVINCES), "" for Brussels-Capital.
    province: Mapped[str] = mapped_column(String(20), default="", index=True)
    # First preference while applying; the component selected for once decided.
    component: Mapped[str | None] = mapped_column(String(10))
    answers: Mapped[str] = mapped_column(Text, default="{}")  # JSON of the steps' fields
    # The health step's answers, apart and encrypted (applications/health.py): special
    # category data that only medical staff and the candidate read.
    health_answers: Mapped[str | None] = mapped_column(Text)
    last_step: Mapped[str] = mapped_column(String(30), default="")
    score: Mapped[float | None] = mapped_column(Numeric(6, 2))
    waitlist_rank: Mapped[int | None]
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offer_deadline: Mapped[date | None] = mapped_column(Date)

    intake: Mapped[Intake] = relationship(back_populates="applications")
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", order_by="ApplicationEvent.id"
    )


class ApplicationEvent(EventRow, db.Model):
    """One state change of an application: from, to, who, why, when."""

    __tablename__ = "application_events"

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    application: Mapped[Application] = relationship(back_populates="events")


# The queue sorts by submission date within an intake; the decision clock runs on
# status_changed_at: the indexes of the recruiter queue.
Index("ix_applications_intake_submitted", Application.intake_id, Application.submitted_at)
Index("ix_applications_intake_status_changed", Application.intake_id, Application.status,
      Application.status_changed_at)


class ResultKind(StrEnum):
    """The four tests of selection."""

    MEDICAL = "medical"
    PSYCHOTECHNICAL = "psychotechnical"
    SPORTS = "sports"
    INTERVIEW = "interview"


class Convocation(db.Model):
    """The selection day an application is convoked to (one per application)."""

    __tablename__ = "convocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    selection_day_id: Mapped[int] = mapped_column(ForeignKey("selection_days.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    selection_day: Mapped[SelectionDay] = relationship("SelectionDay")


class TestResult(db.Model):
    """One test's outcome for an application; re-recording updates it (and is audited)."""

    __tablename__ = "test_results"
    __test__ = False  # not a pytest test class
    __table_args__ = (UniqueConstraint("application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    passed: Mapped[bool]
    # 0-100; none for the medical test, which medical staff record as fit or unfit.
    score: Mapped[float | None] = mapped_column(Numeric(5, 2))
    # Medical test only: medical staff's reason, encrypted (applications/health.py).
    medical_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Decision(db.Model):
    """A final selection or rejection proposed by one recruiter, confirmed by another.

    A partial unique index allows one open proposal per application, so a second
    proposal (or a double POST) cannot open beside the first.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        unique_while_null("uq_decisions_open_per_application", "application_id",
                          null="resolved_at"),
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


class ReviewRequest(db.Model):
    """A candidate's request to review a decision (a rejection or waitlisting of their
    application, or the refusal of their application to the Reserve: `engagement_id`), with
    their reason; answered by a staff member who took no part in that decision (four eyes).
    One open request per application or engagement."""

    __tablename__ = "review_requests"
    __table_args__ = (
        unique_while_null("uq_review_requests_open_per_application", "application_id",
                          null="answered_at"),
        unique_while_null("uq_review_requests_open_per_engagement", "engagement_id",
                          null="answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("reserve_engagements.id", ondelete="CASCADE"), index=True)
    # The status contested (rejected, waitlisted) and the decision behind it.
    contested: Mapped[str] = mapped_column(String(20))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(12))  # upheld | overturned
    answer: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship()

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class ApplicationMessage(db.Model):
    """One message of the thread between a candidate and the recruitment team, kept with
    the application. `from_staff` tells the two sides apart."""

    __tablename__ = "application_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_staff: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
