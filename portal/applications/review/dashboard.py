"""The intake dashboard: the funnel from invitation to start of service, and decision times.

Counts come from the records themselves: invitations (issued from a year before the
intake opened until it closed), signed-up citizens linked to an invited person,
information sessions booked and held, applications, and each application's history (an
application counts at a stage once it ever reached it, whatever happened next).
"""
from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func

from portal import csvsafe, regions
from portal.accounts.models import User
from portal.applications.intakes.models import Booking, InfoSession
from portal.applications.models import Application, ApplicationEvent, Intake, Status
from portal.extensions import db
from portal.invitations.models import Invitation, Person
from portal.models import utcnow

STAGES = {
    "invited": _l("Invited"),
    "signed_up": _l("Signed up"),
    "session_attended": _l("Session attended"),
    "applied": _l("Applied"),
    "tested": _l("Tested"),
    "selected": _l("Selected"),
    "accepted": _l("Accepted"),
    "started": _l("Started"),
}
DIMENSIONS = {"language": _l("Language"), "province": _l("Province"),
              "component": _l("Component")}
HEADINGS = {"language": _l("By language"), "province": _l("By province"),
            "component": _l("By component")}
CHART_TITLES = {"language": _l("Applied and selected by language"),
                "province": _l("Applied and selected by province"),
                "component": _l("Applied and selected by component")}
# Stages reached through the life cycle: the statuses that mark them.
REACHED = {
    "tested": (Status.TESTS_PASSED, Status.TESTS_FAILED),
    "selected": (Status.SELECTED,),
    "accepted": (Status.OFFER_ACCEPTED,),
    "started": (Status.IN_SERVICE,),
}


@dataclass
class Stage:
    key: str
    label: str
    total: int
    rate: float | None  # share of the previous stage, in percent


@dataclass
class Dashboard:
    intake: Intake
    stages: list[Stage]
    # dimension -> value -> stage -> count
    breakdown: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    decided: int = 0
    days_mean: float | None = None
    days_median: float | None = None

    @property
    def widest(self) -> int:
        return max([s.total for s in self.stages] + [1])


def _window(intake: Intake) -> tuple[datetime, datetime]:
    start = datetime.combine(intake.applications_open - timedelta(days=365), time.min, UTC)
    return start, datetime.combine(intake.applications_close, time.max, UTC)


def _province(postcode: str | None) -> str:
    info = regions.lookup(postcode)
    return info.province if info else ""


def _add(counts, stage: str, language, province, component, n: int) -> None:
    counts["language"][language or ""][stage] += n
    counts["province"][province or ""][stage] += n
    if component is not None:
        counts["component"][component][stage] += n


def _people(intake: Intake, counts, totals) -> None:
    """Invited and signed-up people, by language and by province (from the postcode)."""
    start, end = _window(intake)
    invited = (db.select(Invitation.person_id)
               .where(Invitation.issued_at.between(start, end), Invitation.revoked_at.is_(None))
               .distinct().subquery())
    for stage, query in (
        ("invited", db.select(Person.language, Person.postcode, func.count())
         .join(invited, invited.c.person_id == Person.id)
         .group_by(Person.language, Person.postcode)),
        ("signed_up", db.select(Person.language, Person.postcode, func.count(User.id))
         .join(invited, invited.c.person_id == Person.id)
         .join(User, User.id == Person.user_id)
         .group_by(Person.language, Person.postcode)),
    ):
        for language, postcode, n in db.session.execute(query):
            totals[stage] += n
            _add(counts, stage, language, _province(postcode), None, n)


def _sessions(intake: Intake, counts, totals) -> None:
    """Sessions have no attendance register: an active booking of a session that has
    taken place counts as attended."""
    rows = db.session.execute(
        db.select(Person.language, Person.postcode, User.language, func.count(Booking.id))
        .join(InfoSession, InfoSession.id == Booking.session_id)
        .join(User, User.id == Booking.user_id).outerjoin(Person, Person.user_id == User.id)
        .where(Booking.intake_id == intake.id, Booking.cancelled_at.is_(None),
               InfoSession.starts_at <= utcnow())
        .group_by(Person.language, Person.postcode, User.language))
    for person_language, postcode, user_language, n in rows:
        totals["session_attended"] += n
        _add(counts, "session_attended", person_language or user_language,
             _province(postcode), None, n)


def _applications(intake: Intake, counts, totals) -> None:
    a = Application
    for language, province, component, n in db.session.execute(
        db.select(a.language, a.province, a.component, func.count())
        .where(a.intake_id == intake.id, a.submitted_at.is_not(None))
        .group_by(a.language, a.province, a.component)
    ):
        totals["applied"] += n
        _add(counts, "applied", language, province, component or "", n)
    stage = case(*[(ApplicationEvent.to_status.in_(statuses), key)
                   for key, statuses in REACHED.items()])
    reached = [s for statuses in REACHED.values() for s in statuses]
    for key, language, province, component, n in db.session.execute(
        db.select(stage, a.language, a.province, a.component,
                  func.count(func.distinct(a.id)))
        .join(a, a.id == ApplicationEvent.application_id)
        .where(a.intake_id == intake.id, ApplicationEvent.to_status.in_(reached))
        .group_by(stage, a.language, a.province, a.component)
    ):
        totals[key] += n
        _add(counts, key, language, province, component or "", n)


def build(intake: Intake) -> Dashboard:
    counts: dict = {d: defaultdict(lambda: defaultdict(int)) for d in DIMENSIONS}
    totals: dict[str, int] = defaultdict(int)
    _people(intake, counts, totals)
    _sessions(intake, counts, totals)
    _applications(intake, counts, totals)
    stages, previous = [], None
    for key, label in STAGES.items():
        n = totals[key]
        rate = round(100 * n / previous, 1) if previous else None
        stages.append(Stage(key, str(label), n, rate))
        previous = n
    board = Dashboard(intake=intake, stages=stages, breakdown={
        d: {v: dict(s) for v, s in sorted(values.items())} for d, values in counts.items()})
    days = [(decided - submitted).total_seconds() / 86400 for submitted, decided in
            db.session.execute(
                db.select(Application.submitted_at, Application.decided_at)
                .where(Application.intake_id == intake.id,
                       Application.submitted_at.is_not(None), Application.decided_at.is_not(None)))]
    if days:
        board.decided = len(days)
        board.days_mean = round(statistics.fmean(days), 1)
        board.days_median = round(statistics.median(days), 1)
    return board


def to_csv(board: Dashboard) -> str:
    """One row for the whole intake, then one per language, province and component."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["dimension", "value", *STAGES])
    writer.writerow(["all", "", *[s.total for s in board.stages]])
    for dimension, values in board.breakdown.items():
        for value, stages in values.items():
            writer.writerow(csvsafe.row([dimension, value, *[stages.get(k, 0) for k in STAGES]]))
    writer.writerow([])
    writer.writerow(["decided", board.decided, "days_mean", board.days_mean,
                     "days_median", board.days_median])
    return out.getvalue()
