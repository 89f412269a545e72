"""The policy note's targets against the portal's own records: selected candidates in the
first levy and each year, reservists from the service year and this term's recruits, the
funnel of each year from letter to Reserve, and the Reserve's strength by pillar and unit.

Every target is a setting with its source (config.py, TARGET_*); every count comes from
the records, an application counting at a stage once it ever reached it.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from portal import csvsafe
from portal.accounts.models import User
from portal.applications.models import Application, ApplicationEvent, Intake, Status
from portal.extensions import db
from portal.invitations.models import Invitation, Person
from portal.reserve.models import (
    Engagement,
    EngagementEvent,
    EngagementStatus,
    Origin,
    Unit,
)

# Statuses that mean a candidate was selected at some point, and those of a finished year.
SELECTED = (Status.SELECTED,)
STARTED = (Status.IN_SERVICE,)
COMPLETED = (Status.COMPLETED,)
# The Reserve's strength: engagements approved or serving.
STRENGTH = (EngagementStatus.APPROVED, EngagementStatus.ACTIVE)

# Where the targets' figures come from (the CSV's source column).
SOURCE = "defence-policy-note-2024-2025"
YEAR_STAGES = {
    "letters": _l("Invitation letters"),
    "signed_up": _l("Signed up"),
    "applied": _l("Applied"),
    "selected": _l("Selected"),
    "started": _l("Started the service year"),
    "completed": _l("Completed the service year"),
    "reserve": _l("Joined the Reserve"),
}


@dataclass
class Target:
    key: str
    label: str
    target: int
    value: int
    scope: str

    @property
    def percent(self) -> float:
        return round(100 * self.value / self.target, 1) if self.target else 0.0


@dataclass
class Targets:
    targets: list[Target]
    years: dict[int, dict[str, int]]  # year -> stage -> count
    pillars: dict[str, int]
    units: list[tuple[str, str, int]]  # unit name, pillar, reservists
    source: str


def _ever(statuses, *where) -> int:
    return db.session.scalar(
        db.select(func.count(func.distinct(ApplicationEvent.application_id)))
        .join(Application, Application.id == ApplicationEvent.application_id)
        .join(Intake, Intake.id == Application.intake_id)
        .where(ApplicationEvent.to_status.in_(statuses), *where)) or 0


def _by_year(column, *where) -> dict[int, int]:
    """Counts grouped by the calendar year of `column` (a date or datetime)."""
    counts: dict[int, int] = defaultdict(int)
    for value, n in db.session.execute(db.select(column, func.count()).where(*where)
                                       .group_by(column)):
        if value is not None:
            counts[value.year] += n
    return counts


def _years() -> dict[int, dict[str, int]]:
    """Each year's funnel: letters issued that year; sign-ups, applications and what
    followed counted by the year the intake starts."""
    years: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(YEAR_STAGES, 0))
    for year, n in _by_year(Invitation.issued_at, Invitation.revoked_at.is_(None)).items():
        years[year]["letters"] = n
    signed = db.session.execute(
        db.select(Invitation.issued_at).join(Person, Person.id == Invitation.person_id)
        .join(User, User.id == Person.user_id).where(Invitation.revoked_at.is_(None)))
    for (issued,) in signed:
        years[issued.year]["signed_up"] += 1
    applied = db.session.execute(
        db.select(Intake.start_date, func.count(Application.id))
        .join(Application, Application.intake_id == Intake.id)
        .where(Application.submitted_at.is_not(None)).group_by(Intake.start_date))
    for start, n in applied:
        years[start.year]["applied"] += n
    for stage, statuses in (("selected", SELECTED), ("started", STARTED),
                            ("completed", COMPLETED)):
        for start, n in db.session.execute(
                db.select(Intake.start_date, func.count(func.distinct(Application.id)))
                .join(Application, Application.intake_id == Intake.id)
                .join(ApplicationEvent, ApplicationEvent.application_id == Application.id)
                .where(ApplicationEvent.to_status.in_(statuses))
                .group_by(Intake.start_date)):
            years[start.year][stage] += n
    joined = db.session.execute(
        db.select(Intake.start_date, func.count(func.distinct(Engagement.id)))
        .join(Application, Application.intake_id == Intake.id)
        .join(Engagement, Engagement.user_id == Application.user_id)
        .where(Engagement.origin == Origin.SERVICE_YEAR,
               Engagement.status.in_((*STRENGTH, EngagementStatus.ENDED)),
               Application.status == Status.RESERVE)
        .group_by(Intake.start_date))
    for start, n in joined:
        years[start.year]["reserve"] += n
    return dict(sorted(years.items()))


def _first_levy_selected() -> tuple[Intake | None, int]:
    first = db.session.scalar(db.select(Intake).order_by(Intake.start_date, Intake.id)
                              .limit(1))
    if first is None:
        return None, 0
    return first, _ever(SELECTED, Application.intake_id == first.id)


def _recruited(start, end) -> int:
    return db.session.scalar(
        db.select(func.count(func.distinct(EngagementEvent.engagement_id)))
        .where(EngagementEvent.to_status == EngagementStatus.APPROVED,
               EngagementEvent.at >= datetime.combine(start, time.min, UTC),
               EngagementEvent.at <= datetime.combine(end, time.max, UTC))) or 0


def build() -> Targets:
    config = current_app.config
    years = _years()
    first, first_selected = _first_levy_selected()
    targets = [Target(
        "first_levy", str(_l("Selected in the first levy")),
        config["TARGET_FIRST_LEVY_SELECTED"], first_selected,
        first.name if first is not None else str(_l("No intake yet")))]
    for year, stages in years.items():
        if year >= config["TARGET_SELECTED_PER_YEAR_FROM"]:
            targets.append(Target(f"selected_{year}", str(_l("Selected in %(year)d", year=year)),
                                  config["TARGET_SELECTED_PER_YEAR"], stages["selected"],
                                  str(_l("Intakes starting in %(year)d", year=year))))
    from_service = db.session.scalar(
        db.select(func.count(Engagement.id)).where(Engagement.origin == Origin.SERVICE_YEAR,
                                                   Engagement.status.in_(STRENGTH))) or 0
    targets.append(Target(
        "reservists_from_service_year", str(_l("Reservists from the service year")),
        config["TARGET_RESERVISTS_FROM_SERVICE_YEAR"], from_service,
        str(_l("Approved or serving now"))))
    targets.append(Target(
        "reservists_this_term", str(_l("Reservists recruited this term")),
        config["TARGET_RESERVISTS_THIS_TERM"],
        _recruited(config["TERM_START"], config["TERM_END"]),
        str(_l("Approved from %(start)s to %(end)s",
               start=format_date(config["TERM_START"], "long"),
               end=format_date(config["TERM_END"], "long")))))
    pillars = dict(db.session.execute(
        db.select(Engagement.pillar, func.count()).where(Engagement.status.in_(STRENGTH))
        .group_by(Engagement.pillar).order_by(Engagement.pillar)).all())
    units = [tuple(row) for row in db.session.execute(
        db.select(Unit.name, Unit.pillar, func.count(Engagement.id))
        .join(Engagement, Engagement.unit_id == Unit.id)
        .where(Engagement.status.in_(STRENGTH))
        .group_by(Unit.name, Unit.pillar).order_by(Unit.pillar, Unit.name))]
    return Targets(targets, years, pillars, units, SOURCE)


def to_csv(board: Targets) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "target", "value", "percent", "source"])
    for t in board.targets:
        writer.writerow(csvsafe.row(["target", t.key, t.target, t.value, t.percent,
                                     board.source]))
    for year, stages in board.years.items():
        for stage, n in stages.items():
            writer.writerow(["funnel", f"{year}:{stage}", "", n, "", ""])
    for pillar, n in board.pillars.items():
        writer.writerow(csvsafe.row(["pillar", pillar, "", n, "", ""]))
    for name, pillar, n in board.units:
        writer.writerow(csvsafe.row(["unit", f"{pillar}:{name}", "", n, "", ""]))
    return out.getvalue()
