"""The security screening of an application: the request sent to the vetting authority and
its outcome, recorded by a security officer; an unfavourable outcome counts once a second
security officer confirms it. An application may be screened again (after a review), so
there may be several rows per application, but only one open at a time."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import Application
from portal.extensions import db
from portal.models import UTCDateTime, unique_while_null, utcnow


class Outcome(StrEnum):
    FAVOURABLE = "favourable"
    UNFAVOURABLE = "unfavourable"
    # The request was stopped: the vetting authority withdrew it, or the application ended.
    WITHDRAWN = "withdrawn"


class State(StrEnum):
    """Where a screening stands, as staff see it."""

    REQUESTED = "requested"  # sent to the vetting authority, no outcome yet
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # unfavourable, a second officer to confirm
    FAVOURABLE = "favourable"
    UNFAVOURABLE = "unfavourable"
    WITHDRAWN = "withdrawn"


class SecurityScreening(db.Model):
    __tablename__ = "security_screenings"
    __table_args__ = (
        unique_while_null("uq_security_screenings_open_per_application", "application_id",
                          null="concluded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    # The reference the vetting authority knows the request by (never the register number).
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The outcome as the first security officer recorded it, with their note (what the
    # vetting authority said; seen by security officers only).
    recorded_outcome: Mapped[str | None] = mapped_column(String(12))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    # An unfavourable outcome's second security officer.
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The final outcome and when it became final; the retention period counts from then.
    outcome: Mapped[str | None] = mapped_column(String(12))
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    application: Mapped[Application] = relationship()

    @property
    def state(self) -> State:
        if self.outcome is not None:
            return State(self.outcome)
        if self.recorded_outcome == Outcome.UNFAVOURABLE:
            return State.AWAITING_CONFIRMATION
        return State.REQUESTED

    @property
    def is_open(self) -> bool:
        return self.concluded_at is None


def latest(application_id: int) -> SecurityScreening | None:
    """The application's last screening (open or concluded), or None."""
    return db.session.scalar(
        db.select(SecurityScreening).where(SecurityScreening.application_id == application_id)
        .order_by(SecurityScreening.id.desc()).limit(1))


def cleared(application: Application) -> bool:
    """True when the application's last security screening ended favourably."""
    last = latest(application.id)
    return last is not None and last.outcome == Outcome.FAVOURABLE
