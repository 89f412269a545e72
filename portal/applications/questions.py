"""The questions of the application: one form per step, in order (STEPS, STEP_FORMS).

The candidate fills them in; the recruiter reads the answers under the same labels
(answers.py), so a question is worded in one place only."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from stdnum.be import nn
from stdnum.exceptions import ValidationError as NumberError
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from portal import regions
from portal.applications.vocab import COMPONENT_LABELS
from portal.dateranges import DateField, DateRange, add_months, add_years, horizon, today
from portal.i18n import LANGUAGE_LABELS, LETTER_LANGUAGES

YES_NO = [("no", _l("No")), ("yes", _l("Yes"))]
NATIONALITIES = [
    ("belgian", _l("Belgian")),
    ("eu", _l("Another EU country")),
    ("other", _l("Another country")),
]
EDUCATION_LEVELS = [
    ("primary", _l("Primary school")),
    ("secondary_lower", _l("Lower secondary education")),
    ("secondary_upper", _l("Upper secondary education (diploma)")),
    ("higher", _l("College (bachelor)")),
    ("university", _l("University (master)")),
]
FUNCTIONS = [
    ("combat", _l("Combat units")),
    ("logistics", _l("Logistics and transport")),
    ("technical", _l("Technical and maintenance")),
    ("medical_support", _l("Medical support")),
    ("it", _l("IT and communication")),
    ("security", _l("Guarding and security")),
    ("administration", _l("Administration")),
]
HEALTH_QUESTIONS = {
    "chronic_condition": _l("Do you have a long-term illness that needs regular treatment?"),
    "medication": _l("Do you take medication every day?"),
    "recent_injury": _l("Did an injury or operation in the last 12 months keep you from "
                        "sport for more than a month?"),
    "sport_limits": _l("Has a doctor told you not to do intense physical effort?"),
}
REQUIRED = _l("This field is required.")


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


# The steps of the application form, in order, with their names in the progress indicator.
STEPS: dict[str, object] = {
    "personal": _l("Personal details"),
    "contact": _l("Contact"),
    "education": _l("Education"),
    "preferences": _l("Preferences"),
    "motivation": _l("Start and motivation"),
    "health": _l("Health"),
    "consent": _l("Consent"),
}


class StepForm(FlaskForm):
    # The version of the application the page showed: a different one means a stale page.
    version = HiddenField()


def _first_birth_date(form) -> date | None:
    """The intake's oldest eligible birth date, less the planning horizon: a slip of the
    century is refused here, while an age the intake does not take is explained next to the
    field by candidate.services.eligibility."""
    intake = getattr(form, "intake", None)
    if intake is None:
        return None
    oldest = add_years(intake.start_date, -(intake.max_age + 1)) + timedelta(days=1)
    return add_months(oldest, -current_app.config["PLANNING_HORIZON_MONTHS"])


class PersonalForm(StepForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(REQUIRED), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(REQUIRED), Length(max=100)])
    # The view hands the form its intake (form.intake) for the range of birth dates.
    birth_date = DateField(_l("Date of birth"), validators=[
        InputRequired(REQUIRED), DateRange(_first_birth_date, today)])
    national_number = StringField(
        _l("National register number"),
        validators=[Optional(), Length(max=20)],
    )
    nationality = RadioField(_l("Nationality"), choices=options(NATIONALITIES),
                             validators=[InputRequired(REQUIRED)])
    language = SelectField(_l("Language for your letters"),
                           choices=options((c, LANGUAGE_LABELS[c]) for c in LETTER_LANGUAGES),
                           validators=[InputRequired(REQUIRED)])

    def validate_national_number(self, field):
        number = nn.compact(field.data or "")
        try:
            nn.validate(number)
        except NumberError as err:
            raise ValidationError(_l(
                "This is not a valid national register number: 11 digits, as on the back "
                "of your identity card.")) from err
        born = nn.get_birth_date(number)
        if born is not None and self.birth_date.data and born != self.birth_date.data:
            raise ValidationError(_l(
                "This national register number does not match your date of birth."))
        field.data = number


class ContactForm(StepForm):
    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(REQUIRED), Email(_l("Enter a valid e-mail "
                                                                    "address.")),
                                   Length(max=254)])
    phone = TelField(_l("Mobile phone number"), validators=[
        DataRequired(REQUIRED), Length(max=20),
        Regexp(r"^\+?[0-9 ./()-]{8,20}$", message=_l("Enter a phone number, e.g. 0470 12 34 56.")),
    ])
    street = StringField(_l("Street"), validators=[DataRequired(REQUIRED), Length(max=120)])
    house_number = StringField(_l("House number"),
                               validators=[DataRequired(REQUIRED), Length(max=12)])
    box = StringField(_l("Box"), validators=[Optional(), Length(max=12)])
    postcode = StringField(_l("Postcode"), validators=[
        DataRequired(REQUIRED),
        Regexp(r"^[1-9][0-9]{3}$", message=_l("A Belgian postcode has four digits.")),
    ])
    municipality = StringField(_l("Municipality"),
                               validators=[DataRequired(REQUIRED), Length(max=80)])

    def validate_postcode(self, field):
        if regions.lookup(field.data) is None:
            raise ValidationError(_l("We do not know this postcode. Check it and try again."))


class EducationForm(StepForm):
    level = RadioField(_l("Your highest diploma or current studies"),
                       choices=options(EDUCATION_LEVELS), validators=[InputRequired(REQUIRED)])
    field_of_study = StringField(_l("Field of study"), validators=[Optional(), Length(max=120)])
    still_studying = BooleanField(_l("I am still studying"))
    driving_licence = BooleanField(_l("I have a driving licence B"))


class PreferencesForm(StepForm):
    choice_1 = SelectField(_l("First choice"), validators=[InputRequired(REQUIRED)])
    choice_2 = SelectField(_l("Second choice"), validators=[Optional()])
    choice_3 = SelectField(_l("Third choice"), validators=[Optional()])
    functions = SelectMultipleField(
        _l("Functions that interest you"), choices=options(FUNCTIONS),
        validators=[DataRequired(_l("Choose at least one function."))],
        option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))

    def set_components(self, components: list[str]) -> None:
        """Only the components this intake has places in."""
        choices = [(c, COMPONENT_LABELS[c]) for c in components]
        self.choice_1.choices = options([("", _l("Choose a component")), *choices])
        none = [("", _l("No other choice"))]
        self.choice_2.choices = options(none + choices)
        self.choice_3.choices = options(none + choices)

    def validate_choice_1(self, field):
        if not field.data:
            raise ValidationError(REQUIRED)

    def validate_choice_2(self, field):
        if field.data and field.data == self.choice_1.data:
            raise ValidationError(_l("Choose a component you did not choose already."))

    def validate_choice_3(self, field):
        if field.data and field.data in (self.choice_1.data, self.choice_2.data):
            raise ValidationError(_l("Choose a component you did not choose already."))
        if field.data and not self.choice_2.data:
            raise ValidationError(_l("Fill in your second choice first."))


class MotivationForm(StepForm):
    earliest_start = DateField(_l("Earliest date you can start"),
                               validators=[InputRequired(REQUIRED), DateRange(today, horizon)])
    motivation = TextAreaField(_l("Why do you want to do the service year?"), validators=[
        DataRequired(REQUIRED),
        Length(min=30, max=2000, message=_l("Write between 30 and 2000 characters.")),
    ])


def _yes_no(question):
    return RadioField(question, choices=options(YES_NO), validators=[InputRequired(REQUIRED)])


class HealthForm(StepForm):
    """Only what selection needs, as yes or no: no medical documents."""

    chronic_condition = _yes_no(HEALTH_QUESTIONS["chronic_condition"])
    medication = _yes_no(HEALTH_QUESTIONS["medication"])
    recent_injury = _yes_no(HEALTH_QUESTIONS["recent_injury"])
    sport_limits = _yes_no(HEALTH_QUESTIONS["sport_limits"])


class ConsentForm(StepForm):
    consent = BooleanField(
        _l("I agree that Defence processes these data to handle my application, as "
           "described above."),
        validators=[DataRequired(_l("You can only apply if you agree."))])


STEP_FORMS: dict[str, type[StepForm]] = {
    "personal": PersonalForm,
    "contact": ContactForm,
    "education": EducationForm,
    "preferences": PreferencesForm,
    "motivation": MotivationForm,
    "health": HealthForm,
    "consent": ConsentForm,
}
