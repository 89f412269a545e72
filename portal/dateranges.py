"""Every date a form or a command accepts lies in a range that makes sense for its step.

One validator, `DateRange(lower, upper)`, checks it on the server with a message that
names the range in the reader's language; the date fields below put the same bounds in
the input's min and max. A bound is a function of the form (today, the planning horizon,
another field of the form, data the view hands the form) returning a date or None (open).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import wtforms
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from wtforms.validators import ValidationError

from portal import clock

Bound = Callable[[object], "date | None"]


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), on the month's last day when it is short."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


# --- bounds --------------------------------------------------------------------------------

def today(_form=None) -> date:
    return clock.today()


def tomorrow(_form=None) -> date:
    return clock.today() + timedelta(days=1)


def horizon(_form=None) -> date:
    """The last day anyone may plan for: PLANNING_HORIZON_MONTHS from today."""
    return add_months(clock.today(), current_app.config["PLANNING_HORIZON_MONTHS"])


def horizon_back(_form=None) -> date:
    """As far back as a date may be backdated (an agreement signed earlier)."""
    return add_months(clock.today(), -current_app.config["PLANNING_HORIZON_MONTHS"])


def field(name: str, days: int = 0) -> Bound:
    """The date of the form's field `name` (plus `days`), when it has one."""
    def bound(form):
        value = _as_date(form[name].data) if name in form else None
        return value + timedelta(days=days) if value is not None else None
    return bound


def later(*bounds: Bound) -> Bound:
    """The latest of the bounds that are known."""
    def bound(form):
        known = [d for d in (b(form) for b in bounds) if d is not None]
        return max(known) if known else None
    return bound


# --- the check ------------------------------------------------------------------------------

def _as_date(value) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def message(lower: date | None, upper: date | None) -> str:
    """What to enter, with the dates in the reader's language."""
    if lower is not None and upper is not None:
        return _("Enter a date from %(start)s to %(end)s.", start=format_date(lower, "long"),
                 end=format_date(upper, "long"))
    if lower is not None:
        return _("Enter a date on or after %(start)s.", start=format_date(lower, "long"))
    return _("Enter a date on or before %(end)s.", end=format_date(upper, "long"))


def outside(value: date, lower: date | None, upper: date | None) -> bool:
    return (lower is not None and value < lower) or (upper is not None and value > upper)


class DateRange:
    """The field's date lies from `lower(form)` to `upper(form)`, both days included.

    A stored date shown again unchanged passes: it was accepted when it was entered, and an
    intake whose applications opened last month must stay editable.
    """

    def __init__(self, lower: Bound | None = None, upper: Bound | None = None):
        if lower is None and upper is None:
            raise ValueError("a date range needs at least one bound")
        self.lower, self.upper = lower, upper

    def bounds(self, form) -> tuple[date | None, date | None]:
        return (self.lower(form) if self.lower else None,
                self.upper(form) if self.upper else None)

    def __call__(self, form, field) -> None:
        value = _as_date(field.data)
        if value is None or (field.object_data is not None and field.data == field.object_data):
            return
        lower, upper = self.bounds(form)
        if outside(value, lower, upper):
            raise ValidationError(message(lower, upper))


def bounds_of(field) -> tuple[date | None, date | None]:
    """The narrowest range of the field's DateRange validators (widened to a stored value)."""
    lowers, uppers = [], []
    for validator in field.validators:
        if isinstance(validator, DateRange):
            lower, upper = validator.bounds(field._form)
            lowers += [lower] if lower is not None else []
            uppers += [upper] if upper is not None else []
    lower, upper = (max(lowers) if lowers else None), (min(uppers) if uppers else None)
    stored = _as_date(field.object_data)
    if stored is not None:
        lower = min(lower, stored) if lower is not None else None
        upper = max(upper, stored) if upper is not None else None
    return lower, upper


class _Bounded:
    """A date input whose min and max come from the field's DateRange validators."""

    bound_formats = ("%Y-%m-%d", "%Y-%m-%d")

    def __call__(self, **kwargs):
        if self._form is not None:
            lower, upper = bounds_of(self)
            if lower is not None:
                kwargs.setdefault("min", lower.strftime(self.bound_formats[0]))
            if upper is not None:
                kwargs.setdefault("max", upper.strftime(self.bound_formats[1]))
        return super().__call__(**kwargs)


class DateField(_Bounded, wtforms.DateField):
    pass


class DateTimeLocalField(_Bounded, wtforms.DateTimeLocalField):
    bound_formats = ("%Y-%m-%dT00:00", "%Y-%m-%dT23:59")


def check(value: date, lower: date | None, upper: date | None) -> str | None:
    """For commands and services: the message when `value` is out of range, else None."""
    return message(lower, upper) if outside(value, lower, upper) else None
