"""Places in something with a capacity, and booking, moving and cancelling a place in an
information session.

`Places` is the reusable part: a model with `id` and `capacity`, and how to count the
places taken in one row. Lock the row, then count: two people racing for the last place
are served one after the other (information sessions, selection days; training periods
of the Reserve will be counted the same way).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func

from portal import audit, i18n, mail, outbox
from portal.accounts.models import User
from portal.applications.intakes.models import Booking, InfoSession, SelectionDay
from portal.applications.models import Application, Convocation, Intake, Status
from portal.extensions import db
from portal.locking import lock_row
from portal.models import utcnow
from portal.notifications import messages
from portal.refusals import Refusal


class BookingError(Refusal):
    """A booking that cannot be made; `message` is shown to the candidate."""


def active_booking(user_id: int, intake_id: int) -> Booking | None:
    return db.session.scalar(
        db.select(Booking).where(Booking.user_id == user_id, Booking.intake_id == intake_id,
                                 Booking.cancelled_at.is_(None))
    )


@dataclass(frozen=True)
class Places:
    """The places of one kind of row: `model` has `id` and `capacity`; `taken(row_id)`
    counts the places taken in a row."""

    model: type
    taken: Callable[[int], int]

    def lock(self, row_id: int):
        """The row, locked until the transaction ends (None when there is none)."""
        return lock_row(self.model, row_id)

    def left(self, row) -> int:
        return row.capacity - self.taken(row.id)


def _booked(session_id: int) -> int:
    return db.session.scalar(
        db.select(func.count(Booking.id))
        .where(Booking.session_id == session_id, Booking.cancelled_at.is_(None))
    )


# A candidate who withdrew or was rejected no longer holds a place on their selection day.
PLACE_GIVEN_UP = (Status.WITHDRAWN, Status.REJECTED)


def _convoked(selection_day_id: int) -> int:
    return db.session.scalar(
        db.select(func.count()).select_from(Convocation)
        .join(Application, Application.id == Convocation.application_id)
        .where(Convocation.selection_day_id == selection_day_id,
               Application.status.not_in(PLACE_GIVEN_UP)))


SESSION_PLACES = Places(InfoSession, _booked)
SELECTION_DAY_PLACES = Places(SelectionDay, _convoked)


def places_left(session: InfoSession) -> int:
    return SESSION_PLACES.left(session)


def book(user, session_id: int, now: datetime | None = None) -> Booking:
    """Book a place for `user`; an active booking in another session of the intake is moved.

    The session row is locked (SELECT ... FOR UPDATE on PostgreSQL) before its places are
    counted, so two candidates racing for the last place cannot both get it; the places
    are counted once more after the insert for databases that cannot lock a row.
    On a BookingError the caller rolls back.
    """
    now = now or utcnow()
    session = SESSION_PLACES.lock(session_id)
    if session is None:
        raise BookingError(_("This information session does not exist."))
    intake: Intake = session.intake
    if intake.applications_close < now.date():
        raise BookingError(_("This intake is closed: its sessions can no longer be booked."))
    if session.starts_at <= now:
        raise BookingError(_("This information session has already taken place."))
    current = active_booking(user.id, intake.id)
    if current is not None and current.session_id == session.id:
        return current  # the same request twice: nothing changes
    if places_left(session) <= 0:
        raise BookingError(_("This information session is full. Choose another one."))
    moved_from = None
    if current is not None:
        if current.session.starts_at <= now:
            raise BookingError(_("You already attended an information session of this intake."))
        current.cancelled_at = now
        moved_from = current.session_id
        db.session.flush()
    booking = Booking(session=session, intake_id=intake.id, user_id=user.id, created_at=now)
    db.session.add(booking)
    db.session.flush()
    # Count again inside the writing transaction: databases without row locks (SQLite)
    # serialise writers, so a place taken meanwhile shows up here. The caller rolls back.
    if places_left(session) < 0:
        raise BookingError(_("This information session is full. Choose another one."))
    if moved_from:
        audit.record(user, "booking.move", booking, session_id=session.id, from_session=moved_from)
    else:
        audit.record(user, "booking.create", booking, session_id=session.id)
    tell_booked(booking)
    return booking


def cancel(user, intake_id: int, now: datetime | None = None) -> Booking | None:
    """Cancel the user's active booking of the intake; None when there was none (twice)."""
    now = now or utcnow()
    booking = active_booking(user.id, intake_id)
    if booking is None:
        return None
    if booking.session.starts_at <= now:
        raise BookingError(_("This information session has already taken place."))
    booking.cancelled_at = now
    db.session.flush()
    audit.record(user, "booking.cancel", booking, session_id=booking.session_id)
    _tell(booking, "cancel")
    return booking


def tell_booked(booking: Booking) -> None:
    """The booking's confirmation; sent again when an online session gets its link."""
    session = booking.session
    # An online session without its link yet reads like one in a place (its description).
    _tell(booking, "book_online" if session.online and session.join_url else "book")


def _tell(booking: Booking, action: str) -> None:
    """The booking's message (notifications.messages), after the commit; a booking comes
    with its calendar entry, and an online session's with the link to join it."""
    entry = messages.message("booking", action)
    session, user = booking.session, db.session.get(User, booking.user_id)
    joins = action == "book_online"
    link = session.join_url if joins else mail.external_url(
        "applications.info_sessions", intake_id=booking.intake_id)
    attachments = () if action == "cancel" else (calendar_entry(booking, user.language),)
    outbox.later(user.email, "notice", user.language, entry.subject,
                 name=user.first_name or user.email, link=link, link_label=entry.link_label,
                 lines=entry.render(starts_at=session.starts_at,
                                    place=session.join_url if joins else session.place),
                 attachments=attachments)


def calendar_entry(booking: Booking, language: str) -> mail.Attachment:
    """The session as an iCalendar event, in UTC (read the same by every calendar)."""
    session = booking.session
    starts = session.starts_at.astimezone(UTC)
    minutes = current_app.config["INFO_SESSION_MINUTES"]
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    with i18n.locale(i18n.valid(language) or i18n.DEFAULT):
        summary = _("Information session: %(intake)s", intake=session.intake.name)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Belgian Defence//Dienstjaar portal//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"info-session-booking-{booking.id}@{host}")
    event.add("dtstamp", utcnow().astimezone(UTC))
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=minutes))
    event.add("summary", summary)
    event.add("location", session.join_url or session.place if session.online
              else session.place)
    if session.online and session.join_url:
        event.add("url", session.join_url)
    event.add("status", "CONFIRMED")
    cal.add_component(event)
    return mail.Attachment("information-session.ics", cal.to_ical(), "text/calendar",
                           (("method", "PUBLISH"),))


def upcoming_sessions(intake: Intake, now: datetime | None = None) -> list[tuple[InfoSession, int]]:
    """Sessions of the intake still to come, each with the places left."""
    now = now or utcnow()
    booked = (
        db.select(Booking.session_id, func.count(Booking.id).label("n"))
        .where(Booking.cancelled_at.is_(None)).group_by(Booking.session_id).subquery()
    )
    rows = db.session.execute(
        db.select(InfoSession, InfoSession.capacity - func.coalesce(booked.c.n, 0))
        .outerjoin(booked, booked.c.session_id == InfoSession.id)
        .where(InfoSession.intake_id == intake.id, InfoSession.starts_at > now)
        .order_by(InfoSession.starts_at, InfoSession.id)
    )
    return [(s, int(left)) for s, left in rows]
