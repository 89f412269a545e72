"""Forms of the recruiter pages. Every action form carries the version the recruiter saw."""
from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
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
from portal.applications.vocab import (
    COMPONENT_LABELS,
    RECRUITER_REJECTION_REASONS,
    RESULT_LABELS,
)
from portal.dateranges import DateField, DateRange, horizon, today
from portal.numbers import IntegerField, record_id

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
        _l("Selection day"), coerce=record_id,
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
            SelectChoice(code, text) for code, text in RECRUITER_REJECTION_REASONS.items()])
    note = TextAreaField(_l("Note for the file (not in the letter)"),
                         validators=[Optional(), Length(max=1000)])


DAY_STARTS, DAY_ENDS = time(7, 30), time(17, 0)


class SelectionDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date.")),
                                            DateRange(today, horizon)])
    place = StringField(_l("Place"), default=SELECTION_CENTRE,
                        validators=[DataRequired(_l("Enter the place.")), Length(max=200)])
    capacity = IntegerField(_l("Places"), validators=[
        InputRequired(_l("Enter the number of places.")),
        NumberRange(min=1, max=1000, message=_l("Enter a number from 1 to 1000."))])

    # Left empty, the hours of the selection centre's usual day.
    starts_at = TimeField(_l("Starts at"), default=DAY_STARTS, validators=[Optional()])
    ends_at = TimeField(_l("Ends at"), default=DAY_ENDS, validators=[Optional()])
    second_day = DateField(_l("Second day (leave empty for a one-day selection)"),
                           validators=[Optional(), DateRange(today, horizon)])
    second_starts_at = TimeField(_l("Second day starts at"), validators=[Optional()])
    second_ends_at = TimeField(_l("Second day ends at"), validators=[Optional()])
    overnight = BooleanField(_l("Candidates spend the night at the selection centre "
                                "between the two days"))

    def validate_ends_at(self, field):
        if (field.data or DAY_ENDS) <= (self.starts_at.data or DAY_STARTS):
            raise ValidationError(_l("The end must be after the start."))

    def validate_second_day(self, field):
        if field.data and self.day.data and field.data <= self.day.data:
            raise ValidationError(_l("The second day must come after the first."))

    def validate_second_starts_at(self, field):
        if self.second_day.data and not field.data:
            raise ValidationError(_l("Enter the start time."))

    def validate_second_ends_at(self, field):
        if self.second_day.data and not field.data:
            raise ValidationError(_l("Enter the end time."))
        if field.data and self.second_starts_at.data and field.data <= self.second_starts_at.data:
            raise ValidationError(_l("The end must be after the start."))

    def validate_overnight(self, field):
        if field.data and not self.second_day.data:
            raise ValidationError(_l("A night at the centre needs a second day."))

    def hours(self) -> dict:
        """What the service stores: the hours, the second day and the night."""
        second = self.second_day.data
        return {"starts_at": self.starts_at.data or DAY_STARTS,
                "ends_at": self.ends_at.data or DAY_ENDS,
                "second_day": second,
                "second_starts_at": self.second_starts_at.data if second else None,
                "second_ends_at": self.second_ends_at.data if second else None,
                "overnight": bool(self.overnight.data and second)}


class AnswerReviewForm(FlaskForm):
    """The answer to a candidate's request for a review of a decision."""

    outcome = RadioField(_l("Answer"),
                         choices=[SelectChoice("upheld", _l("Upheld: the decision stands")),
                                  SelectChoice("overturned",
                                               _l("Overturned: we take a new decision"))],
                         validators=[InputRequired(_l("Choose whether the decision is upheld "
                                                      "or overturned."))])
    answer = TextAreaField(_l("Reason, as the candidate will read it in the letter"),
                           validators=[DataRequired(_l("Give the reason for your answer.")),
                                       Length(max=4000)])


class StaffMessageForm(FlaskForm):
    body = TextAreaField(_l("Your answer to the candidate"),
                         validators=[DataRequired(_l("Write your message.")), Length(max=4000)])
