"""Forms of the recruiters' Reserve pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional


class MoveForm(FlaskForm):
    action = HiddenField(validators=[InputRequired()])
    version = IntegerField(validators=[Optional()])
    unit_id = SelectField(_l("Unit"), coerce=int, default=0, validate_choice=False)
    start_date = DateField(_l("Start date"), validators=[Optional()])
    reason = TextAreaField(_l("Reason (shown in the letter when rejecting)"),
                           validators=[Length(max=1000)])
