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

from portal.applications.models import Component, Status
from portal.applications.review_models import ResultKind
from portal.applications.review_services import REJECTION_REASONS, RESULT_LABELS

COMPONENT_LABELS = {
    Component.LAND: _l("Land component"),
    Component.AIR: _l("Air component"),
    Component.NAVY: _l("Naval component"),
    Component.MEDICAL: _l("Medical component"),
    Component.CYBER: _l("Cyber command"),
}

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.SCREENING: _l("Screening"),
    Status.TESTS_SCHEDULED: _l("Tests scheduled"),
    Status.TESTS_PASSED: _l("Tests passed"),
    Status.TESTS_FAILED: _l("Tests failed"),
    Status.SELECTED: _l("Selected"),
    Status.WAITLISTED: _l("Waitlisted"),
    Status.REJECTED: _l("Rejected"),
    Status.OFFER_ACCEPTED: _l("Offer accepted"),
    Status.OFFER_DECLINED: _l("Offer declined"),
    Status.IN_SERVICE: _l("In service"),
    Status.COMPLETED: _l("Completed"),
    Status.CAREER: _l("Career"),
    Status.RESERVE: _l("Reserve"),
    Status.LEFT: _l("Left"),
    Status.WITHDRAWN: _l("Withdrawn"),
}

ACTION_LABELS = {
    "submit": _l("Submitted"),
    "start_screening": _l("Screening started"),
    "schedule_tests": _l("Tests scheduled"),
    "pass_tests": _l("Tests passed"),
    "fail_tests": _l("Tests failed"),
    "select": _l("Selected"),
    "waitlist": _l("Waitlisted"),
    "reject": _l("Rejected"),
    "accept_offer": _l("Offer accepted"),
    "decline_offer": _l("Offer declined"),
    "expire_offer": _l("Offer expired"),
    "start_service": _l("Service started"),
    "complete": _l("Service completed"),
    "leave": _l("Left"),
    "choose_career": _l("Chose a career"),
    "choose_reserve": _l("Chose the Reserve"),
    "withdraw": _l("Withdrawn"),
}

LETTER_LABELS = {
    "acknowledgement": _l("Acknowledgement"),
    "convocation": _l("Convocation"),
    "decision": _l("Decision"),
}

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
    kind = SelectField(_l("Test"), choices=[SelectChoice(k.value, label)
                                            for k, label in RESULT_LABELS.items()],
                       validators=[InputRequired()])
    outcome = RadioField(_l("Outcome"), choices=[SelectChoice("pass", _l("Passed")),
                                  SelectChoice("fail", _l("Failed"))],
                         validators=[InputRequired(_l("Choose passed or failed."))])
    score = DecimalField(_l("Score (0 to 100)"), places=2, validators=[
        InputRequired(_l("Enter a score from 0 to 100.")),
        NumberRange(min=0, max=100, message=_l("Enter a score from 0 to 100."))])

    def validate_kind(self, field):
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
