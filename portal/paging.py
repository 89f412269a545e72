"""Numbered pages for every staff list: which page a request asks for, which one exists, its
rows and the numbers to link, so every list pages alike (the template half is
_macros/paging.html). Only this module turns a page number into a row offset.

A page past the last shows the last one rather than an empty table; junk asks for page 1.
Each page costs two statements: a count and the page's rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import Select, func, select

from portal import clock
from portal.extensions import db

# A page number past this is shown as the last page like any other too-high number; the
# bound keeps the row offset inside what every database takes.
MAX_PAGE = 1_000_000
# Years a calendar page can show: outside them (or not a number) the page does not exist.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def asked_page(args, name: str = "page") -> int:
    """The page number in the query arguments: anything but a positive integer means 1."""
    try:
        return min(max(int(args.get(name, 1)), 1), MAX_PAGE)
    except (TypeError, ValueError, OverflowError):
        return 1


def asked_year(args) -> int:
    """The year in the query arguments, this year when none is given; 404 for anything that
    is not a year between FIRST_YEAR and LAST_YEAR (a made-up link, not a user's slip)."""
    value = (args.get("year") or "").strip()
    if not value:
        return clock.today().year
    if not (value.isascii() and value.isdigit()) or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        abort(404)
    return int(value)


def _locate(total: int, asked: int, per_page: int) -> tuple[int, int]:
    """(page to show, number of pages) for `total` rows: never past the last page, and one
    page even when there is nothing, so the table says so instead of vanishing."""
    pages = max((total + per_page - 1) // per_page, 1)
    return min(asked, pages), pages


def fetch(rows: Select, count: Select | None, asked: int, per_page: int
          ) -> tuple[list, int, int, int]:
    """(rows of the page, total, page shown, number of pages) of the ordered statement
    `rows`: the page asked for, or the last one when it is past the end. `count` counts the
    same rows (a list that knows a cheaper count than counting `rows` gives it). A statement
    of one entity gives the entities, any other its rows."""
    if count is None:
        count = select(func.count()).select_from(rows.order_by(None).subquery())
    total = db.session.scalar(count) or 0
    page, pages = _locate(total, asked, per_page)
    result = db.session.execute(rows.limit(per_page).offset((page - 1) * per_page))
    columns = rows.column_descriptions
    one_entity = len(columns) == 1 and columns[0]["expr"] is columns[0]["entity"]
    return list(result.scalars() if one_entity else result), total, page, pages


@dataclass
class Kept:
    """The query arguments a list keeps from page to page (its filters, the page of another
    list on the same page); a list with its own filters gives its own class with the same
    args(). `name` is the argument of the list's page number."""

    page: int = 1
    values: dict = field(default_factory=dict)
    name: str = "page"

    def args(self, **changes) -> dict:
        number = changes.pop("page", self.page)
        values = {**self.values, **changes, self.name: number}
        return {k: v for k, v in values.items()
                if v not in (None, "") and not (k == self.name and v == 1)}


@dataclass
class Numbered:
    """One page of a list: its rows, their positions and the page links. A queue's own
    Page extends it with its filters."""

    rows: list
    total: int
    page: int  # the page shown: a number past the last page shows the last one
    pages: int
    per_page: int
    filters: object = field(default_factory=Kept)  # args(page=n) gives page n's arguments
    asked: int = 1  # the page the request asked for

    @property
    def out_of_range(self) -> bool:
        """The page asked for does not exist: the template says so above the last page."""
        return self.asked > self.pages

    @property
    def first(self) -> int:
        """1-based position of the page's first row (0 when there is none)."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    def numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and `around` either side of the current
        one; None where numbers are left out. A thousand pages stay a short list."""
        keep = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        shown: list[int | None] = []
        for number in sorted(n for n in keep if 1 <= n <= self.pages):
            if shown and number - shown[-1] > 1:
                shown.append(None)
            shown.append(number)
        return shown


def numbered(rows: Select, args, per_page: int, count: Select | None = None,
             name: str = "page", **kept) -> Numbered:
    """The page the request's `args` ask for (in the argument `name`) of the ordered
    statement `rows`; `kept` are the arguments the page links keep (the list's filters)."""
    asked = asked_page(args, name)
    found, total, page, pages = fetch(rows, count, asked, per_page)
    return Numbered(rows=found, total=total, page=page, pages=pages, per_page=per_page,
                    filters=Kept(page=asked, values=kept, name=name), asked=asked)
