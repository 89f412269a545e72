"""Forms of the recruiters' Reserve pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField
from wtforms.validators import InputRequired, Optional

from portal.dateranges import DateField, DateRange, horizon, today
from portal.numbers import IntegerField, record_id
from portal.reserve.vocab import REJECTION_REASONS


class MoveForm(FlaskForm):
    action = HiddenField(validators=[InputRequired()])
    version = IntegerField(validators=[Optional()])
    unit_id = SelectField(_l("Unit"), coerce=record_id, default=0, validate_choice=False)
    # A Reserve engagement starts from today on: a past start would start and end it at once.
    start_date = DateField(_l("Start date"), validators=[Optional(), DateRange(today, horizon)])
    # Checked by the move itself (a translated refusal, not a 400).
    reason = SelectField(
        _l("Reason (the letter gives it in each of its languages)"), validate_choice=False,
        choices=[SelectChoice("", _l("Choose a reason"))] + [
            SelectChoice(code, text) for code, text in REJECTION_REASONS.items()])
