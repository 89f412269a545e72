"""Numbered pages for the staff queues: which page a request asks for, which one exists, and
the numbers to link, so every queue pages alike (the template half is _macros/paging.html).

A page past the last shows the last one rather than an empty table; junk asks for page 1.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort

from portal import clock

# A page number past this is shown as the last page like any other too-high number; the
# bound keeps the row offset inside what every database takes.
MAX_PAGE = 1_000_000
# Years a calendar page can show: outside them (or not a number) the page does not exist.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def asked_page(args) -> int:
    """The page number in the query arguments: anything but a positive integer means 1."""
    try:
        return min(max(int(args.get("page", 1)), 1), MAX_PAGE)
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


def locate(total: int, asked: int, per_page: int) -> tuple[int, int]:
    """(page to show, number of pages) for `total` rows: never past the last page, and one
    page even when there is nothing, so the table says so instead of vanishing."""
    pages = max((total + per_page - 1) // per_page, 1)
    return min(asked, pages), pages


@dataclass
class Numbered:
    """One page of a queue: its rows, their positions and the page links. A queue's own
    Page extends it with its filters."""

    rows: list
    total: int
    page: int  # the page shown: a number past the last page shows the last one
    pages: int
    per_page: int

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
