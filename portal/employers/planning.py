"""An enterprise's planning: the training periods of every reservist it has a signed
agreement with, for the next 12 months, as a CSV for payroll and an iCalendar file for a
shared calendar (whole days: an absence from work, in any time zone). Only what an employer
may see of a period: the reservist, dates, days and place. And for payroll, the
compensatory leave each reservist earned in a year by the days they served."""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, timedelta

import icalendar
from flask import current_app
from flask_babel import gettext as _

from portal import calendars, csvsafe
from portal.dateranges import add_months
from portal.employers import periods
from portal.employers.models import Agreement, AgreementStatus, Employer
from portal.extensions import db

MONTHS_AHEAD = 12


@dataclass(frozen=True)
class Row:
    reservist: str
    period: periods.PlannedPeriod


def window(today: date) -> tuple[date, date]:
    return today, add_months(today, MONTHS_AHEAD)


def rows(employer: Employer, today: date) -> list[Row]:
    """The planned periods of the enterprise's reservists with a signed agreement that end
    on or after today and start within MONTHS_AHEAD, by start date then name."""
    agreements = db.session.scalars(db.select(Agreement).where(
        Agreement.employer_id == employer.id,
        Agreement.status == AgreementStatus.SIGNED)).all()
    names = {a.reservist_id: a.reservist.full_name for a in agreements}
    first, last = window(today)
    planned = periods.source().planned(list(names), first) if names else []
    return sorted((Row(names[p.reservist_id], p) for p in planned
                   if p.starts_on <= last and p.reservist_id in names),
                  key=lambda r: (r.period.starts_on, r.reservist))


def to_csv(employer: Employer, found: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["enterprise_number", "enterprise", "reservist", "starts_on", "ends_on",
                     "days", "place"])
    for row in found:
        p = row.period
        writer.writerow([employer.formatted_number, csvsafe.cell(employer.name),
                         csvsafe.cell(row.reservist), p.starts_on.isoformat(),
                         p.ends_on.isoformat(), p.days, csvsafe.cell(p.place)])
    return out.getvalue()


def to_ical(employer: Employer, found: list[Row]) -> bytes:
    cal, host = calendars.new_calendar()
    cal.add("x-wr-calname", _("Reserve training: %(enterprise)s", enterprise=employer.name))
    for row in found:
        p = row.period
        event = icalendar.Event()
        event.add("uid", f"employer-{employer.id}-{p.key.replace(':', '-')}@{host}")
        event.add("dtstamp", p.announced_at)
        event.add("dtstart", p.starts_on)  # whole days: DTEND is the day after the last
        event.add("dtend", p.ends_on + timedelta(days=1))
        event.add("summary", _("Reserve training: %(reservist)s", reservist=row.reservist))
        event.add("location", p.place)
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()


def file_stem(employer: Employer, today: date) -> str:
    return f"reserve-planning-{employer.enterprise_number}-{today.isoformat()}"


def leave_days(served: int) -> float:
    """Compensatory leave earned: RESERVE_LEAVE_PER_SERVED_DAY per day served, in half days
    (as the reservist's own year page counts it)."""
    return math.floor(served * current_app.config["RESERVE_LEAVE_PER_SERVED_DAY"] * 2) / 2


def leave_csv(statement) -> str:
    """One row per reservist of the year's statement (statements.Statement): days served and
    the compensatory leave they earned, with the rate it was counted at."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["enterprise_number", "enterprise", "year", "reservist", "served_days",
                     "leave_per_served_day", "leave_days"])
    rate = current_app.config["RESERVE_LEAVE_PER_SERVED_DAY"]
    for line in statement.lines:
        writer.writerow([statement.employer.formatted_number,
                         csvsafe.cell(statement.employer.name), statement.year,
                         csvsafe.cell(line.reservist), line.served_days, f"{rate:g}",
                         f"{leave_days(line.served_days):g}"])
    return out.getvalue()
