"""Small-number suppression of the intake dashboard (statistical disclosure control).

No count below DASHBOARD_MIN_CELL is shown: the page, the charts and the CSV get None
instead (printed as "< N"). Each dimension's values split the intake's total of a stage,
so a column with a single hidden cell and a shown total would give the cell back: the
smallest other shown cell of that column is hidden too. Rates next to a hidden total are
left out for the same reason, and the average and median time to a decision while there
are fewer decisions than the threshold.
"""

from __future__ import annotations

from dataclasses import replace

from flask import current_app

from portal.applications.review.dashboard import STAGES, Dashboard


def threshold() -> int:
    return current_app.config["DASHBOARD_MIN_CELL"]


def _column(cells: dict[str, int], minimum: int) -> set[str]:
    """The values of one stage's column to hide."""
    hidden = {v for v, n in cells.items() if n < minimum}
    if len(hidden) == 1:
        shown = sorted((n, v) for v, n in cells.items() if v not in hidden)
        if shown:
            hidden.add(shown[0][1])
    return hidden


def suppress(board: Dashboard, minimum: int | None = None) -> Dashboard:
    """A copy of the board where every count to hide is None."""
    minimum = threshold() if minimum is None else minimum
    stages, previous = [], None
    for stage in board.stages:
        total = stage.total if stage.total >= minimum else None
        rate = stage.rate if total is not None and previous is not None else None
        stages.append(replace(stage, total=total, rate=rate))
        previous = total
    breakdown = {}
    for dimension, values in board.breakdown.items():
        table = {value: dict.fromkeys(STAGES, 0) | counts for value, counts in values.items()}
        for key in STAGES:
            for value in _column({v: c[key] for v, c in table.items()}, minimum):
                table[value][key] = None
        breakdown[dimension] = table
    # The average and median of a few decisions tell how long each of them took.
    few = 0 < board.decided < minimum
    return replace(
        board,
        stages=stages,
        breakdown=breakdown,
        decided=board.decided if board.decided >= minimum else None,
        days_mean=None if few else board.days_mean,
        days_median=None if few else board.days_median,
        days_hidden=few,
    )
