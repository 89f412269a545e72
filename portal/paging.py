"""Numbered pages for the staff queues: which page a request asks for, which one exists, and
the numbers to link, so every queue pages alike (the template half is _macros/paging.html).

A page past the last shows the last one rather than an empty table; junk asks for page 1.
"""
from __future__ import annotations

from dataclasses import dataclass


def asked_page(args) -> int:
    """The page number in the query arguments: anything but a positive integer means 1."""
    try:
        return max(int(args.get("page", 1)), 1)
    except (TypeError, ValueError):
        return 1


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
