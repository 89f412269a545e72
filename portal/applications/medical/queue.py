"""The medical staff's queue: the convoked candidates, filtered by intake and by whether the
medical test is recorded, in pages.

A page costs two statements whatever its number: one count, one page of plain columns (never
the answers or the encrypted health data). The order ends on the application id, so a
candidate appears on exactly one page while nothing changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select

from portal.applications.intakes.models import SelectionDay
from portal.applications.models import (
    Application,
    Convocation,
    Intake,
    ResultKind,
    Status,
    TestResult,
)
from portal.extensions import db
from portal.paging import Numbered, asked_page, fetch

# Which candidates: medical test not recorded yet, recorded (fit or unfit), or both.
SHOWS = ("pending", "decided", "all")
# Earliest selection day first (candidates without a day last), then first submitted.
ORDER = (SelectionDay.day.asc().nulls_last(), Application.submitted_at.asc().nulls_last(),
         Application.id)
COLUMNS = (Application.id, Application.reference, Application.first_name,
           Application.last_name, Intake.name.label("intake_name"),
           SelectionDay.day.label("selection_day"), TestResult.passed)


@dataclass
class Filters:
    show: str = "pending"
    intake: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        """Unknown or malformed values fall back to the defaults rather than failing."""
        show = args.get("show", "pending")
        intake = args.get("intake", "")
        return cls(show=show if show in SHOWS else "pending",
                   intake=int(intake) if _is_id(intake) else None, page=asked_page(args))

    def args(self, **changes) -> dict:
        """Query arguments for a link to this view with `changes`, defaults left out."""
        values = {"show": self.show, "intake": self.intake, "page": self.page}
        values.update(changes)
        defaults = {"show": "pending", "intake": None, "page": 1}
        return {k: v for k, v in values.items() if v != defaults[k]}


def _is_id(value: str) -> bool:
    """ASCII digits that fit the id column: "²" or twenty nines would fail the query."""
    return value.isascii() and value.isdigit() and len(value) <= 9


@dataclass(frozen=True)
class Row:
    id: int
    reference: str
    name: str
    intake: str
    selection_day: date | None
    fit: bool | None  # None: the medical test is not recorded yet


@dataclass
class Page(Numbered):
    """A page of rows (Row)."""

    filters: Filters = field(default_factory=Filters)


def _conditions(f: Filters) -> list:
    where = [Application.status == Status.TESTS_SCHEDULED]
    if f.intake is not None:
        where.append(Application.intake_id == f.intake)  # (intake, status) index
    # On the joined column, not the result's id: PostgreSQL then plans an anti join, with
    # a row estimate the rest of the plan can trust.
    if f.show == "pending":
        where.append(TestResult.application_id.is_(None))
    elif f.show == "decided":
        where.append(TestResult.application_id.is_not(None))
    return where


def _medical_result():
    return and_(TestResult.application_id == Application.id,
                TestResult.kind == ResultKind.MEDICAL)


def page(f: Filters, per_page: int) -> Page:
    """One page of the queue. The caller checks that the reader is medical staff."""
    where = _conditions(f)
    # A convocation and a medical result are unique per application: the outer joins never
    # multiply rows, and the count needs no convocation at all. Going through the intakes
    # lets the (intake, status) index find the convoked when no intake is chosen.
    found, total, number, pages = fetch(
        select(*COLUMNS)
        .join(Intake, Intake.id == Application.intake_id)
        .outerjoin(Convocation, Convocation.application_id == Application.id)
        .outerjoin(SelectionDay, SelectionDay.id == Convocation.selection_day_id)
        .outerjoin(TestResult, _medical_result())
        .where(*where).order_by(*ORDER),
        select(func.count(Application.id))
        .join(Intake, Intake.id == Application.intake_id)
        .outerjoin(TestResult, _medical_result()).where(*where), f.page, per_page)
    rows = [Row(id=r.id, reference=r.reference, name=f"{r.last_name} {r.first_name}".strip(),
                intake=r.intake_name, selection_day=r.selection_day, fit=r.passed)
            for r in found]
    return Page(rows=rows, total=total, page=number, pages=pages, per_page=per_page,
                filters=f, asked=f.page)


def intakes() -> list[tuple[int, str]]:
    """(id, name) of every intake for the filter, the latest first."""
    return [(i, n) for i, n in db.session.execute(
        select(Intake.id, Intake.name).order_by(Intake.start_date.desc(), Intake.id.desc()))]

