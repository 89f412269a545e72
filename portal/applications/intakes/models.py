"""The dates of an intake: information sessions (with the places candidates book in them)
and selection days at the selection centre."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, String, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import Intake
from portal.extensions import db
from portal.models import TimestampMixin, UTCDateTime, unique_while_null, utcnow


class InfoSession(TimestampMixin, db.Model):
    """One information session (in a place or online) with a number of places."""

    __tablename__ = "info_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    online: Mapped[bool] = mapped_column(default=False)
    # An address for a session in a place, a short description for an online one
    # (the link is sent to those who booked).
    place: Mapped[str] = mapped_column(String(200))
    # The address to join an online session (https), sent to those who book it.
    join_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    languages: Mapped[str] = mapped_column(String(12), default="nl")  # e.g. "nl,fr"
    capacity: Mapped[int]

    intake: Mapped[Intake] = relationship()
    bookings: Mapped[list[Booking]] = relationship(back_populates="session")

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class Booking(db.Model):
    """A candidate's place in an information session; cancelled bookings are kept."""

    __tablename__ = "bookings"
    __table_args__ = (
        # At most one active booking per user and intake, whatever the request race.
        unique_while_null("uq_bookings_active_per_intake", "intake_id", "user_id",
                          null="cancelled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("info_sessions.id"), index=True)
    # Denormalised from the session so the database can enforce one active booking per intake.
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    session: Mapped[InfoSession] = relationship(back_populates="bookings")

    @property
    def active(self) -> bool:
        return self.cancelled_at is None


class SelectionDay(TimestampMixin, db.Model):
    """A selection at the selection centre, with a number of places: one day, or two days
    (a second date after the first) with or without a night at the centre in between.
    `day` is the first day; the convocation prints the dates and hours from here."""

    __tablename__ = "selection_days"
    __table_args__ = (UniqueConstraint("intake_id", "day", "place"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int]
    starts_at: Mapped[time] = mapped_column(Time, default=time(7, 30),
                                            server_default="07:30:00")
    ends_at: Mapped[time] = mapped_column(Time, default=time(17, 0), server_default="17:00:00")
    second_day: Mapped[date | None] = mapped_column(Date)
    second_starts_at: Mapped[time | None] = mapped_column(Time)
    second_ends_at: Mapped[time | None] = mapped_column(Time)
    # Candidates sleep at the selection centre between the two days (bed and meals).
    overnight: Mapped[bool] = mapped_column(default=False, server_default=text("false"))

    intake: Mapped[Intake] = relationship()

    @property
    def days(self) -> list[tuple[date, time, time | None]]:
        """(date, start, end) of each day of the selection, in order."""
        days = [(self.day, self.starts_at, self.ends_at)]
        if self.second_day is not None:
            days.append((self.second_day, self.second_starts_at, self.second_ends_at))
        return days
