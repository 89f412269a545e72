"""An enterprise's planning: the training periods of every reservist it has a signed
agreement with, for the next 12 months, as a CSV for payroll and an iCalendar file for a
shared calendar (whole days: an absence from work, in any time zone). Only what an employer
may see of a period: the reservist, dates, days and place. And for payroll, the
compensatory leave each reservist earned in a year by the days they served (pro rata of
their working time there), as CSV and as a PDF through the letter engine."""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, timedelta

import icalendar
from flask import current_app
from flask_babel import gettext as _

from portal import calendars, csvsafe, regions
from portal.dateranges import add_months
from portal.employers import effects, periods
from portal.employers.models import Agreement, AgreementStatus, Employer
from portal.extensions import db
from portal.letters import services as letters

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


def leave_days(served: int, work_percent: int = 100) -> float:
    """Compensatory leave earned: RESERVE_LEAVE_PER_SERVED_DAY per day served, pro rata of
    the working time, in half days rounded down (as the reservist's own year page counts
    it for full time)."""
    rate = current_app.config["RESERVE_LEAVE_PER_SERVED_DAY"]
    return math.floor(served * rate * work_percent / 100 * 2) / 2


@dataclass(frozen=True)
class LeaveLine:
    reservist: str
    served_days: int
    work_percent: int
    leave_days: float


def leave_lines(statement) -> list[LeaveLine]:
    return [LeaveLine(line.reservist, line.served_days, line.work_percent,
                      leave_days(line.served_days, line.work_percent))
            for line in statement.lines]


def render_leave_pdf(statement, reference: str) -> tuple[bytes, int]:
    """The year's compensatory leave of the enterprise's reservists as a letter to the
    enterprise (bilingual as its other letters), for payroll."""
    recipient, _delivery = letters.for_delivery(effects.recipient(statement.employer))
    lines = leave_lines(statement)
    return letters.render_letter(
        "leave_statement", recipient=recipient,
        context={"statement": statement, "employer": statement.employer, "formal": True,
                 "leave_lines": lines,
                 "leave_total": sum(line.leave_days for line in lines),
                 "leave_rate": current_app.config["RESERVE_LEAVE_PER_SERVED_DAY"]},
        languages=regions.REGISTER_LANGUAGES.get(statement.employer.language,
                                                 regions.REGISTER_LANGUAGES["nl"]),
        reference=reference)


def leave_file_stem(statement) -> str:
    return f"compensatory-leave-{statement.employer.enterprise_number}-{statement.year}"


def leave_csv(statement) -> str:
    """One row per reservist of the year's statement (statements.Statement): days served and
    the compensatory leave they earned, with the rate it was counted at."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["enterprise_number", "enterprise", "year", "reservist", "served_days",
                     "leave_per_served_day", "work_percent", "leave_days"])
    rate = current_app.config["RESERVE_LEAVE_PER_SERVED_DAY"]
    for line in leave_lines(statement):
        writer.writerow([statement.employer.formatted_number,
                         csvsafe.cell(statement.employer.name), statement.year,
                         csvsafe.cell(line.reservist), line.served_days, f"{rate:g}",
                         line.work_percent, f"{line.leave_days:g}"])
    return out.getvalue()
