"""Whole numbers typed into forms and ids chosen in them. WTForms' IntegerField reads any
run of digits, and its NumberRange then turns a number of hundreds of digits into a float
and fails with an OverflowError (an error 500); a number beyond a database integer fails
in PostgreSQL ("integer out of range") and leaves the transaction aborted. Every integer
column is 32 bits wide: a number outside that range is refused as not a number, with the
field's usual message, before it reaches a query."""
from __future__ import annotations

import wtforms

# The largest value of a database integer (PostgreSQL's `integer`).
DB_INT_MAX = 2**31 - 1


def fits(value: int) -> bool:
    return -DB_INT_MAX - 1 <= value <= DB_INT_MAX


def record_id(value) -> int:
    """`coerce` for a choice of record: an id a database integer holds, or a ValueError
    (WTForms then shows its "not a valid choice" message)."""
    number = int(value)
    if not 0 <= number <= DB_INT_MAX:
        raise ValueError(value)
    return number


class IntegerField(wtforms.IntegerField):
    def process_formdata(self, valuelist):
        # A cheap length check first: int() of a very long run of digits is slow.
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > 10:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)
        if self.data is not None and not fits(self.data):
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
