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
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func

from portal import csvsafe, regions
from portal.accounts.models import User
from portal.applications import background
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
              "component": _l("Component"), "sex": _l("Sex"),
              "age": _l("Age on the start date"),
              "first_generation": _l("First generation in higher education")}
HEADINGS = {"language": _l("By language"), "province": _l("By province"),
            "component": _l("By component"), "sex": _l("By sex"),
            "age": _l("By age on the start date"),
            "first_generation": _l("By parents' higher education")}
CHART_TITLES = {"language": _l("Applied and selected by language"),
                "province": _l("Applied and selected by province"),
                "component": _l("Applied and selected by component"),
                "sex": _l("Applied and selected by sex"),
                "age": _l("Applied and selected by age on the start date"),
                "first_generation": _l("Applied and selected by parents' higher education")}
# Sex as the register records it ("M" or "F"); "" when no register person is linked.
SEXES = {"F": _l("Women"), "M": _l("Men")}
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
    days_hidden: bool = False  # by suppression: too few decisions to show their times

    @property
    def widest(self) -> int:
        return max([s.total or 0 for s in self.stages] + [1])


# What the dashboard reads of the register person: sex and birth date (for the age); and
# the person's own optional answer about their parents' higher education.
_ANSWER = background.BackgroundAnswer.parents_higher_education
_FIELDS = (Person.language, Person.postcode, Person.sex, Person.birth_date, _ANSWER)


def _with_answer(query, user_id):
    return query.outerjoin(background.BackgroundAnswer,
                           background.BackgroundAnswer.user_id == user_id)


def _window(intake: Intake) -> tuple[datetime, datetime]:
    start = datetime.combine(intake.applications_open - timedelta(days=365), time.min, UTC)
    return start, datetime.combine(intake.applications_close, time.max, UTC)


def _province(postcode: str | None) -> str:
    info = regions.lookup(postcode)
    return info.province_code if info else ""


def age_bands(intake: Intake) -> list[tuple[int, int]]:
    """Bands of age from the intake's minimum to its maximum: the first three years one by
    one, then two years, then the rest (18, 19, 20, 21–22, 23–25 for 18 to 25)."""
    low, high = intake.min_age, max(intake.max_age, intake.min_age)
    bands = [(age, age) for age in range(low, min(low + 3, high + 1))]
    if low + 3 <= high:
        bands.append((low + 3, min(low + 4, high)))
    if low + 5 <= high:
        bands.append((low + 5, high))
    return bands


def band_key(band: tuple[int, int]) -> str:
    return str(band[0]) if band[0] == band[1] else f"{band[0]}-{band[1]}"


def age_labels(intake: Intake) -> dict[str, str]:
    """Each band's key and how the page prints it (18, 21–22)."""
    return {band_key(b): band_key(b).replace("-", "–") for b in age_bands(intake)}


def _age_band(intake: Intake, birth_date: date | None) -> str:
    """The band of the age on the intake's start date; "" unknown, "other" out of bands."""
    if birth_date is None:
        return ""
    start = intake.start_date
    age = start.year - birth_date.year - ((start.month, start.day)
                                          < (birth_date.month, birth_date.day))
    for band in age_bands(intake):
        if band[0] <= age <= band[1]:
            return band_key(band)
    return "other"


def _add(counts, stage: str, language, province, component, n: int,
         person: tuple[str | None, str, str] = (None, "", "")) -> None:
    counts["language"][language or ""][stage] += n
    counts["province"][province or ""][stage] += n
    if component is not None:
        counts["component"][component][stage] += n
    sex, age, first_generation = person
    counts["sex"][sex if sex in SEXES else ""][stage] += n
    counts["age"][age][stage] += n
    counts["first_generation"][first_generation][stage] += n


def _people(intake: Intake, counts, totals) -> None:
    """Invited and signed-up people, by language and by province (from the postcode)."""
    start, end = _window(intake)
    invited = (db.select(Invitation.person_id)
               .where(Invitation.issued_at.between(start, end), Invitation.revoked_at.is_(None))
               .distinct().subquery())
    for stage, query in (
        ("invited", _with_answer(db.select(*_FIELDS, func.count())
                                 .join(invited, invited.c.person_id == Person.id),
                                 Person.user_id)
         .group_by(*_FIELDS)),
        ("signed_up", _with_answer(db.select(*_FIELDS, func.count(User.id))
                                   .join(invited, invited.c.person_id == Person.id)
                                   .join(User, User.id == Person.user_id), User.id)
         .group_by(*_FIELDS)),
    ):
        for language, postcode, sex, born, answer, n in db.session.execute(query):
            totals[stage] += n
            _add(counts, stage, language, _province(postcode), None, n,
                 (sex, _age_band(intake, born), background.group(answer)))


def _sessions(intake: Intake, counts, totals) -> None:
    """Sessions have no attendance register: an active booking of a session that has
    taken place counts as attended."""
    rows = db.session.execute(_with_answer(
        db.select(*_FIELDS, User.language, func.count(Booking.id))
        .join(InfoSession, InfoSession.id == Booking.session_id)
        .join(User, User.id == Booking.user_id).outerjoin(Person, Person.user_id == User.id),
        User.id)
        .where(Booking.intake_id == intake.id, Booking.cancelled_at.is_(None),
               InfoSession.starts_at <= utcnow())
        .group_by(*_FIELDS, User.language))
    for person_language, postcode, sex, born, answer, user_language, n in rows:
        totals["session_attended"] += n
        _add(counts, "session_attended", person_language or user_language,
             _province(postcode), None, n,
             (sex, _age_band(intake, born), background.group(answer)))


def _applications(intake: Intake, counts, totals) -> None:
    a = Application
    register = (Person.sex, Person.birth_date, _ANSWER)
    for language, province, component, sex, born, answer, n in db.session.execute(
        _with_answer(db.select(a.language, a.province, a.component, *register, func.count())
                     .outerjoin(Person, Person.user_id == a.user_id), a.user_id)
        .where(a.intake_id == intake.id, a.submitted_at.is_not(None))
        .group_by(a.language, a.province, a.component, *register)
    ):
        totals["applied"] += n
        _add(counts, "applied", language, province, component or "", n,
             (sex, _age_band(intake, born), background.group(answer)))
    stage = case(*[(ApplicationEvent.to_status.in_(statuses), key)
                   for key, statuses in REACHED.items()])
    reached = [s for statuses in REACHED.values() for s in statuses]
    for key, language, province, component, sex, born, answer, n in db.session.execute(
        _with_answer(db.select(stage, a.language, a.province, a.component, *register,
                               func.count(func.distinct(a.id)))
                     .join(a, a.id == ApplicationEvent.application_id)
                     .outerjoin(Person, Person.user_id == a.user_id), a.user_id)
        .where(a.intake_id == intake.id, ApplicationEvent.to_status.in_(reached))
        .group_by(stage, a.language, a.province, a.component, *register)
    ):
        totals[key] += n
        _add(counts, key, language, province, component or "", n,
             (sex, _age_band(intake, born), background.group(answer)))


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
    order = {band_key(b): i for i, b in enumerate(age_bands(intake))}
    board = Dashboard(intake=intake, stages=stages, breakdown={
        d: {v: dict(s) for v, s in sorted(
            values.items(), key=lambda kv, d=d: (order.get(kv[0], len(order)), kv[0])
            if d == "age" else kv[0])}
        for d, values in counts.items()})
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


def to_csv(board: Dashboard, minimum: int = 0) -> str:
    """One row for the whole intake, then one per value of each dimension. Counts hidden
    by suppression (None) read "< minimum"."""
    def cell(n):
        return f"< {minimum}" if n is None else n

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["dimension", "value", *STAGES])
    writer.writerow(["all", "", *[cell(s.total) for s in board.stages]])
    for dimension, values in board.breakdown.items():
        for value, stages in values.items():
            writer.writerow(csvsafe.row([dimension, value,
                                         *[cell(stages.get(k, 0)) for k in STAGES]]))
    writer.writerow([])
    writer.writerow(["decided", cell(board.decided), "days_mean", board.days_mean,
                     "days_median", board.days_median])
    return out.getvalue()
