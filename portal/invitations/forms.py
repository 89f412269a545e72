"""Forms of the invitation pages: the code at /start, cohorts and imports for administrators."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from portal import dateranges
from portal.dateranges import DateField, DateRange, horizon, tomorrow
from portal.extensions import db
from portal.invitations.models import Cohort


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class _Date(DateField):
    """A date field (YYYY-MM-DD, as <input type="date"> sends it) with our own message."""

    def __init__(self, label, message, within: DateRange, **kwargs):
        super().__init__(label, format="%Y-%m-%d", validators=[InputRequired(message), within],
                         render_kw={"type": "date"}, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Enter a real date, like 2008-03-31.")) from exc


def first_invited_birth(_form=None):
    """The earliest birth date of anyone holding a code: of a cohort, or of those reaching
    the invited age within the planning horizon."""
    first = db.session.scalar(db.select(db.func.min(Cohort.born_from)))
    around = _invited_age_day(-1)()
    return min(first, around) if first is not None else around


def _invited_age_day(horizons: int):
    """Born this day, one reaches INVITED_AGE `horizons` planning horizons from today
    (-1: a horizon ago, 1: a horizon ahead)."""
    def bound(_form=None):
        config = current_app.config
        born = dateranges.add_years(dateranges.today(), -config["INVITED_AGE"])
        return dateranges.add_months(born, horizons * config["PLANNING_HORIZON_MONTHS"])
    return bound


# A cohort's people reach the invited age within the planning horizon around today.
COHORT_BIRTHS = DateRange(_invited_age_day(-1), _invited_age_day(1))
# Codes are valid from the letters' day, today at the earliest, up to the horizon.
CODE_EXPIRY = DateRange(tomorrow, horizon)


class StartForm(FlaskForm):
    code = StringField(
        _l("Invitation code"),
        validators=[InputRequired(_l("Enter the invitation code from your letter.")),
                    Length(max=40, message=_l("Use at most %(max)d characters."))],
        filters=[_strip],
    )
    birth_date = _Date(_l("Date of birth"), _l("Enter your date of birth."),
                       DateRange(first_invited_birth, dateranges.today))


class AnswerForm(StartForm):
    """The same code and date of birth, with an answer instead of a sign-up."""

    answer = RadioField(
        _l("Your answer"),
        choices=[SelectChoice("not_interested", _l("I am not interested")),
                 SelectChoice("later", _l("Maybe later: I may still sign up with this code"))],
        validators=[InputRequired(_l("Choose an answer."))],
    )


class CohortForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[InputRequired(_l("Give the cohort a name.")),
                    Length(max=80, message=_l("Use at most %(max)d characters."))],
        filters=[_strip],
    )
    born_from = _Date(_l("Born from"), _l("Enter a date."), COHORT_BIRTHS)
    born_to = _Date(_l("Born until"), _l("Enter a date."), COHORT_BIRTHS)
    expires_on = _Date(_l("Codes expire on"), _l("Enter a date."), CODE_EXPIRY)

    def validate_born_to(self, field):
        if self.born_from.data and field.data and field.data < self.born_from.data:
            raise ValidationError(_l("The last birth date comes before the first one."))


class ImportForm(FlaskForm):
    file = FileField(
        _l("Register extract (CSV)"),
        validators=[FileRequired(_l("Choose a CSV file."))],
    )


class ReprintForm(FlaskForm):
    reference = StringField(
        _l("Reference of the letter"), validators=[InputRequired(), Length(max=40)])
    # TRANSLATORS: e.g. "letter lost", "moved to a new address"; kept in the audit log.
    reason = StringField(_l("Why it is printed again"), validators=[InputRequired(),
                                                                    Length(max=200)])
