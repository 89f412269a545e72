"""Forms of the intake administration pages."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from portal.applications.offer_terms import RANK_LABELS
from portal.applications.questions import options
from portal.applications.vocab import COMPONENT_LABELS
from portal.dateranges import DateField, DateRange, DateTimeLocalField, horizon, today
from portal.i18n import LANGUAGE_LABELS, LETTER_LANGUAGES
from portal.numbers import IntegerField

NATIONALITY_RULE_LABELS = {
    "belgian": _l("Belgian nationality only"),
    "eu": _l("Belgian or another EU nationality"),
}


def _quota(label):
    return IntegerField(label, validators=[InputRequired(_l("Enter a number.")),
                                           NumberRange(min=0, max=100000)])


# The largest amount an intake's pay may hold, in euro (the cents' range below).
MAX_EUROS = 100_000


class CentsField(DecimalField):
    """An amount typed in euro, kept in cents (empty: None)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            if not self.data.is_finite() or abs(self.data) > MAX_EUROS:
                self.data = None
                raise ValueError(_l("Enter an amount in euro, at most %(max)s.",
                                    max=f"{MAX_EUROS:,}".replace(",", " ")))
            self.data = int((self.data * 100).to_integral_value())

    def process_data(self, value):
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data / 100:.2f}"


def _euros(label):
    return CentsField(label, places=2,
                      validators=[Optional(), NumberRange(min=0, max=MAX_EUROS * 100)])


class IntakeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=80)])
    name_nl = StringField(_l("Name in Dutch"), validators=[Optional(), Length(max=80)])
    name_fr = StringField(_l("Name in French"), validators=[Optional(), Length(max=80)])
    name_de = StringField(_l("Name in German"), validators=[Optional(), Length(max=80)])
    # Their order is checked by the service, which names what is wrong.
    applications_open = DateField(_l("Applications open on"),
                                  validators=[InputRequired(_l("Enter a date.")),
                                              DateRange(today, horizon)])
    applications_close = DateField(_l("Applications close on"), validators=[
        InputRequired(_l("Enter a date.")),
        DateRange(today, horizon)])
    start_date = DateField(_l("Service starts on"), validators=[
        InputRequired(_l("Enter a date.")),
        DateRange(today, horizon)])
    quota_total = _quota(_l("Overall quota"))
    quota_land = _quota(COMPONENT_LABELS["land"])
    quota_air = _quota(COMPONENT_LABELS["air"])
    quota_navy = _quota(COMPONENT_LABELS["navy"])
    quota_medical = _quota(COMPONENT_LABELS["medical"])
    quota_cyber = _quota(COMPONENT_LABELS["cyber"])
    min_age = IntegerField(_l("Minimum age on the start date"),
                           validators=[InputRequired(_l("Enter a number.")),
                                       NumberRange(min=16, max=60)])
    max_age = IntegerField(_l("Maximum age on the start date"),
                           validators=[InputRequired(_l("Enter a number.")),
                                       NumberRange(min=16, max=60)])
    nationality_rule = RadioField(_l("Nationality"),
                                  choices=options(NATIONALITY_RULE_LABELS.items()),
                                  validators=[InputRequired(_l("Choose a nationality rule."))])
    flag_after_days = IntegerField(
        _l("Flag undecided applications and unanswered offers after (days)"),
        validators=[InputRequired(_l("Enter a number.")), NumberRange(min=1, max=365)])
    offer_days = IntegerField(_l("Days a selected candidate has to answer an offer"),
                              validators=[InputRequired(_l("Enter a number.")),
                                          NumberRange(min=1, max=90)])
    requires_info_session = BooleanField(_l("Candidates must book an information session "
                                            "before applying"))
    reschedule_days = IntegerField(
        _l("Candidates may move to another selection day until this many days before it"),
        validators=[Optional(), NumberRange(min=0, max=60)])
    first_day_time = TimeField(_l("Time the first day starts (Brussels time)"),
                               validators=[Optional()])
    first_day_place = StringField(_l("Place of the first day"), validators=[Length(max=200)])
    first_day_bring = TextAreaField(_l("What to bring (one item a line)"),
                                    validators=[Length(max=2000)])
    first_day_pay = TextAreaField(_l("Pay"), validators=[Length(max=2000)])
    first_day_lodging = TextAreaField(_l("Lodging"), validators=[Length(max=2000)])
    first_day_travel = TextAreaField(_l("Travel"), validators=[Length(max=2000)])
    offer_pay_gross_cents = _euros(_l("Gross pay per month (euro)"))
    offer_pay_net_cents = _euros(_l("Net pay per month (euro)"))
    offer_rank = SelectField(_l("Rank during the year"),
                             choices=options([("", _l("Not set")), *RANK_LABELS.items()]),
                             validators=[Optional()])
    offer_function = StringField(_l("Function or trade"), validators=[Length(max=200)])
    offer_leave_days = IntegerField(_l("Days of leave during the year"),
                                    validators=[Optional(), NumberRange(min=0, max=365)])


class SessionForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("Date and time (Brussels time)"),
                                   format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                   validators=[InputRequired(_l("Enter a date and time.")),
                                               DateRange(today, horizon)])
    online = BooleanField(_l("Online session"))
    place = StringField(_l("Place or description"),
                        validators=[DataRequired(_l("Enter the place.")), Length(max=200)])
    join_url = URLField(_l("Link to join (online sessions)"),
                        validators=[Length(max=500)])
    languages = SelectMultipleField(
        _l("Languages"), choices=options((c, LANGUAGE_LABELS[c]) for c in LETTER_LANGUAGES),
        validators=[DataRequired(_l("Choose at least one language."))],
        option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    capacity = IntegerField(_l("Places"), validators=[InputRequired(_l("Enter a number.")),
                                                      NumberRange(min=1, max=10000)])


    def validate_join_url(self, field):
        check_join_url(field.data, online=self.online.data)


_HTTPS_URL = re.compile(r"^https://[^\s/?#<>\"']+\.[^\s/?#<>\"']+(/[^\s<>\"]*)?$")


def check_join_url(url: str | None, *, online: bool) -> None:
    """An online session needs the https address to join it; one in a place needs none."""
    url = (url or "").strip()
    if online and not url:
        raise ValidationError(_l("Enter the link to join the online session."))
    if url and not _HTTPS_URL.match(url):
        raise ValidationError(_l("Enter a link that starts with https://."))


class CapacityForm(FlaskForm):
    capacity = IntegerField(_l("Places"), validators=[InputRequired(_l("Enter a number.")),
                                                      NumberRange(min=1, max=10000)])
    join_url = URLField(_l("Link to join (online sessions)"), validators=[Length(max=500)])

    def __init__(self, *args, online: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.online = online

    def validate_join_url(self, field):
        check_join_url(field.data, online=self.online)

