"""Forms of the recruiter pages. Every action form carries the version the recruiter saw."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.applications.models import ResultKind
from portal.applications.vocab import COMPONENT_LABELS, REJECTION_REASONS, RESULT_LABELS

# The Recruitment and Selection Centre, where selection days take place.
SELECTION_CENTRE = "Kwartier Koningin Astrid / Quartier Reine Astrid, Bruynstraat 1 rue Bruyn, " \
    "1120 Neder-Over-Heembeek"


class VersionForm(FlaskForm):
    """A one-button action: only the CSRF token and the version seen."""

    version = HiddenField(validators=[DataRequired()])

    def seen_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class ScheduleForm(VersionForm):
    selection_day = SelectField(
        _l("Selection day"), coerce=int,
        validators=[InputRequired(_l("Choose a selection day."))],
        invalid_choice_message=_l("Choose one of this intake's selection days."))


class ResultForm(VersionForm):
    # The medical test is medical staff's (applications/medical/), not the recruiter's.
    kind = SelectField(_l("Test"), choices=[SelectChoice(k.value, label)
                                            for k, label in RESULT_LABELS.items()
                                            if k != ResultKind.MEDICAL],
                       validators=[InputRequired()], validate_choice=False)
    outcome = RadioField(_l("Outcome"), choices=[SelectChoice("pass", _l("Passed")),
                                  SelectChoice("fail", _l("Failed"))],
                         validators=[InputRequired(_l("Choose passed or failed."))])
    score = DecimalField(_l("Score (0 to 100)"), places=2, validators=[
        InputRequired(_l("Enter a score from 0 to 100.")),
        NumberRange(min=0, max=100, message=_l("Enter a score from 0 to 100."))])

    def validate_kind(self, field):
        if field.data == ResultKind.MEDICAL:
            raise ValidationError(_l("Only medical staff record the medical test."))
        if field.data not in set(ResultKind):
            raise ValidationError(_l("Choose a test."))


class ProposeForm(VersionForm):
    action = HiddenField(validators=[DataRequired()])
    component = SelectField(_l("Component"), validators=[Optional()],
                            invalid_choice_message=_l("Choose a component."),
                            choices=[SelectChoice(c.value, label)
                                     for c, label in COMPONENT_LABELS.items()])
    reason_code = SelectField(
        _l("Reason"), validators=[Optional()],
        invalid_choice_message=_l("Choose the reason for the rejection."),
        choices=[SelectChoice("", _l("Choose a reason"))] + [
            SelectChoice(code, text) for code, text in REJECTION_REASONS.items()])
    note = TextAreaField(_l("Note for the file (not in the letter)"),
                         validators=[Optional(), Length(max=1000)])


class SelectionDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    place = StringField(_l("Place"), default=SELECTION_CENTRE,
                        validators=[DataRequired(_l("Enter the place.")), Length(max=200)])
    capacity = IntegerField(_l("Places"), validators=[
        InputRequired(_l("Enter the number of places.")),
        NumberRange(min=1, max=1000, message=_l("Enter a number from 1 to 1000."))])

    def validate_day(self, field):
        if field.data and field.data < date.today():
            raise ValidationError(_l("The date must not be in the past."))
