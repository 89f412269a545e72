"""The first day of service, as the intake's settings give it: date (the intake's start
date), time, place, what to bring, pay, lodging and travel. Shown on a page of the
accepted offer, printed in the offer letter, and given as a calendar event (.ics).

The event's time is written in UTC: every calendar reads it the same way (Mozilla's
ical.js misreads a time zone written with several dates on one line).
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from flask_babel import gettext as _

from portal import calendars
from portal.applications.models import Application, Intake, Status

TZ = ZoneInfo("Europe/Brussels")
# The event's length in calendars: a first day is a working day.
EVENT_HOURS = 8
# Statuses in which the first-day information is the candidate's: the offer made or taken.
SHOWN_IN = (Status.SELECTED, Status.OFFER_ACCEPTED)
TEXT_FIELDS = ("first_day_bring", "first_day_pay", "first_day_lodging", "first_day_travel")


def is_set(intake: Intake) -> bool:
    """Staff have entered the first day's time and place."""
    return intake.first_day_time is not None and bool(intake.first_day_place.strip())


def starts(intake: Intake) -> datetime | None:
    """The first day's start, in Brussels time (None when no time is set)."""
    if intake.first_day_time is None:
        return None
    return datetime.combine(intake.start_date, intake.first_day_time, tzinfo=TZ)


def lines(text: str) -> list[str]:
    """A staff text as the lines of a list (empty lines left out)."""
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


def context(intake: Intake) -> dict:
    """What the page and the letter print."""
    return {"first_day_set": is_set(intake), "first_day_start": starts(intake),
            "first_day_bring": lines(intake.first_day_bring),
            "first_day_pay": intake.first_day_pay.strip(),
            "first_day_lodging": intake.first_day_lodging.strip(),
            "first_day_travel": intake.first_day_travel.strip()}


def ics(application: Application) -> bytes:
    """The first day as one calendar event, times in UTC."""
    intake = application.intake
    start = starts(intake).astimezone(UTC)
    cal, host = calendars.new_calendar()
    event = icalendar.Event()
    event.add("uid", f"first-day-{application.id}@{host}")
    event.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(hours=EVENT_HOURS))
    event.add("summary", _("First day of the Service Year (%(intake)s)", intake=intake.title))
    event.add("location", intake.first_day_place)
    parts = []
    bring = lines(intake.first_day_bring)
    if bring:
        parts.append(_("What to bring:") + "\n" + "\n".join(f"- {item}" for item in bring))
    for label, text in ((_("Pay"), intake.first_day_pay), (_("Lodging"), intake.first_day_lodging),
                        (_("Travel"), intake.first_day_travel)):
        if text.strip():
            parts.append(f"{label}: {text.strip()}")
    if parts:
        event.add("description", "\n\n".join(parts))
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    return cal.to_ical()
