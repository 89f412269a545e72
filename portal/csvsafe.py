"""Cells for CSV files that people open in a spreadsheet: no formulas, no control characters.

Excel and LibreOffice run a cell starting with = + - @ (also after a tab or carriage
return) as a formula; such a cell is prefixed with an apostrophe, which they show as text.
"""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@")


def cell(value) -> str | int | float:
    """A safe cell for `value`; numbers stay numbers."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = _CONTROL.sub(" ", str(value)).strip()
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def row(values) -> list:
    return [cell(v) for v in values]
