"""A reservist's private calendar (RFC 5545) behind an unguessable, revocable token.

The token is shown to its owner once (crossing the redirect sealed, not in the clear);
only its SHA-256 is stored. The feed holds the training periods only: dates, place, kind,
unit and status; no register number, no health data. UIDs are stable per assignment,
SEQUENCE grows with every change, and a cancelled period stays in the feed with
STATUS:CANCELLED so calendars remove it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

import icalendar
import segno
from flask_babel import gettext as _

from portal import audit, calendars, i18n, mail, secret_addresses
from portal.extensions import db
from portal.models import utcnow
from portal.reserve import training, vocab
from portal.reserve.models import AssignmentStatus, CalendarFeed, PeriodKind

TZ = ZoneInfo("Europe/Brussels")
DAY_STARTS, DAY_ENDS = time(8, 0), time(17, 0)

# Europe/Brussels as the tz database's own iCalendar exports write it: one yearly rule per
# change (the EU rule since 1996: last Sunday of March and of October, at 01:00 UTC).
# icalendar's generated zone lists every change as comma-separated RDATE values on one
# line, of which Mozilla's ical.js reads only the first: summer times then came out an
# hour off. tests/reserve/test_feed_clients.py checks these rules against tzdata.
VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Brussels
X-LIC-LOCATION:Europe/Brussels
BEGIN:DAYLIGHT
TZNAME:CEST
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
DTSTART:19960331T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZNAME:CET
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
DTSTART:19961027T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


ADDRESSES = secret_addresses.Kind(CalendarFeed, "portal.reserve.feed")
_hash = secret_addresses.hash_of


def current(user_id: int) -> CalendarFeed | None:
    return db.session.scalar(db.select(CalendarFeed).where(
        CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None)))


def renew(user) -> str:
    """Revoke the current address (if any) and make a new one; returns the new token."""
    revoke(user, audit_it=False)
    token = secret_addresses.new_token()
    feed = CalendarFeed(user_id=user.id, token_hash=_hash(token))
    db.session.add(feed)
    db.session.flush()
    audit.record(user, "reserve.feed_renewed", feed)
    return token


def revoke(user, audit_it: bool = True) -> bool:
    feed = current(user.id)
    if feed is None:
        return False
    feed.revoked_at = utcnow()
    db.session.flush()
    if audit_it:
        audit.record(user, "reserve.feed_revoked", feed)
    return True


find = ADDRESSES.find


@dataclass(frozen=True)
class Address:
    """A freshly made address as its owner subscribes to it: the https address (Google,
    Outlook, Thunderbird), the webcal:// one (opens the calendar app's subscribe dialog, as
    on an iPhone) and its QR code (to carry it from a computer to a phone)."""

    https: str
    webcal: str
    qr: str

    @classmethod
    def of(cls, token: str) -> Address:
        https = mail.external_url("reserve.feed_ics", token=token)
        webcal = secret_addresses.webcal(https)
        qr = segno.make(webcal, error="m").svg_data_uri(scale=4, border=2)
        return cls(https=https, webcal=webcal, qr=qr)


seal, unseal = ADDRESSES.seal, ADDRESSES.unseal
mark_read = secret_addresses.mark_read


def calendar_bytes(user) -> bytes:
    """The reservist's periods of every year, in their language."""
    cal, host = calendars.new_calendar()
    cal.add_component(icalendar.Timezone.from_ical(VTIMEZONE))
    with i18n.locale(i18n.valid(user.language) or i18n.DEFAULT):
        cal.add("x-wr-calname", _("Reserve training"))
        cal.add("x-wr-timezone", "Europe/Brussels")
        for assignment in training.periods_of(user.id, include_cancelled=True):
            cal.add_component(_event(assignment, host))
    return cal.to_ical()


def _event(assignment, host: str) -> icalendar.Event:
    period = assignment.period
    cancelled = period.cancelled or assignment.status == AssignmentStatus.CANCELLED
    event = icalendar.Event()
    event.add("uid", f"reserve-assignment-{assignment.id}@{host}")
    event.add("sequence", period.sequence + assignment.sequence)
    event.add("dtstamp", max(period.updated_at, assignment.updated_at))
    event.add("last-modified", max(period.updated_at, assignment.updated_at))
    event.add("dtstart", datetime.combine(period.starts_on, DAY_STARTS, tzinfo=TZ))
    event.add("dtend", datetime.combine(period.ends_on, DAY_ENDS, tzinfo=TZ))
    kind = vocab.KIND_LABELS[PeriodKind(period.kind)]
    event.add("summary", f"{kind} · {period.unit.name}")
    event.add("location", period.place)
    event.add("description",
              str(vocab.ASSIGNMENT_LABELS[AssignmentStatus(assignment.status)]))
    if cancelled:
        event.add("status", "CANCELLED")
    elif assignment.status in (AssignmentStatus.CONFIRMED, AssignmentStatus.SERVED):
        event.add("status", "CONFIRMED")
    else:
        event.add("status", "TENTATIVE")
    event.add("transp", "OPAQUE")
    return event
