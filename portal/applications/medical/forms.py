"""Medical staff's form: the medical test, fit or unfit, with a reason."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.applications.review.forms import VersionForm


class MedicalForm(VersionForm):
    outcome = RadioField(_l("Outcome of the medical test"),
                         choices=[SelectChoice("fit", _l("Medically fit")),
                                  SelectChoice("unfit", _l("Medically unfit"))],
                         validators=[InputRequired(_l("Choose fit or unfit."))])
    reason = TextAreaField(
        _l("Reason (seen only by medical staff; required when unfit)"),
        validators=[Optional(), Length(max=2000, message=_l("Write at most 2000 characters."))])

    def validate_reason(self, field):
        if self.outcome.data == "unfit" and not (field.data or "").strip():
            raise ValidationError(_l("Give the reason for unfitness."))
