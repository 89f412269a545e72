"""Forms of the letter pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired, NumberRange, Optional

from portal.numbers import IntegerField


class RunForm(FlaskForm):
    # "<run source>:<group id>", e.g. "invitation:3" for the invitations of cohort 3.
    scope = SelectField(_l("Letters to print"), validators=[DataRequired()])
    batch_size = IntegerField(
        _l("Letters per print batch"), validators=[Optional(), NumberRange(min=10, max=5000)])
