"""Whole numbers typed into forms. WTForms' IntegerField reads any run of digits, and its
NumberRange then turns a number of hundreds of digits into a float and fails with an
OverflowError (an error 500). No number the portal asks for has more than a few digits: a
longer one is refused as not a number, with the field's usual message."""
from __future__ import annotations

import wtforms

# More digits than any count, amount or year the portal asks for.
MAX_DIGITS = 12


class IntegerField(wtforms.IntegerField):
    def process_formdata(self, valuelist):
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > MAX_DIGITS:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)
