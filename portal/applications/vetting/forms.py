"""Security officers' form: the vetting authority's outcome, with its reason."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.applications.vetting.services import NOTE_MAX


class OutcomeForm(FlaskForm):
    outcome = RadioField(
        _l("Outcome of the security screening"),
        choices=[SelectChoice("favourable", _l("Favourable")),
                 SelectChoice("unfavourable", _l("Unfavourable (a second security officer "
                                                 "confirms it)")),
                 SelectChoice("withdrawn", _l("Withdrawn by the vetting authority"))],
        validators=[InputRequired(_l("Choose the outcome."))])
    note = TextAreaField(
        _l("The vetting authority's reason (seen only by security officers; required when "
           "unfavourable)"),
        validators=[Optional(), Length(max=NOTE_MAX,
                                       message=_l("Use at most %(max)d characters."))])

    def validate_note(self, field):
        if self.outcome.data == "unfavourable" and not (field.data or "").strip():
            raise ValidationError(_l("Give the vetting authority's reason for an unfavourable "
                                     "outcome."))


class ButtonForm(FlaskForm):
    """A one-button action: only the CSRF token."""
