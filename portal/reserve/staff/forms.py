"""Forms of the recruiters' Reserve pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.dateranges import DateField, DateRange, horizon, today


class MoveForm(FlaskForm):
    action = HiddenField(validators=[InputRequired()])
    version = IntegerField(validators=[Optional()])
    unit_id = SelectField(_l("Unit"), coerce=int, default=0, validate_choice=False)
    # A Reserve engagement starts from today on: a past start would start and end it at once.
    start_date = DateField(_l("Start date"), validators=[Optional(), DateRange(today, horizon)])
    reason = TextAreaField(_l("Reason (shown in the letter when rejecting)"),
                           validators=[Length(max=1000)])
