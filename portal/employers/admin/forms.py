"""The administrator's forms: a sector agreement, a first HR administrator's request."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.dateranges import DateField, DateRange, horizon, horizon_back
from portal.numbers import IntegerField


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SectorAgreementForm(FlaskForm):
    sector_name = StringField(_l("Sector"), filters=[_strip],
                              validators=[InputRequired(_l("Give the sector's name.")),
                                          Length(max=200)])
    committees = StringField(_l("Joint committee numbers covered"), filters=[_strip],
                             validators=[InputRequired(_l("Give at least one joint committee "
                                                          "number.")), Length(max=400)])
    days_per_year = IntegerField(_l("Days per year a reservist may be released"),
                                 validators=[InputRequired(_l("Give a number of days."))])
    notice_days = IntegerField(_l("Notice for announcing training (days)"),
                               validators=[InputRequired(_l("Give a number of days."))])
    compensation = DecimalField(_l("Compensation per day of absence (EUR)"), places=2,
                                validators=[InputRequired(_l("Give an amount in euros."))])
    valid_from = DateField(_l("Valid from"),
                           validators=[InputRequired(_l("Give the first day the agreement "
                                                        "applies.")),
                                       DateRange(horizon_back, horizon)])
    # An end before the start is named by the service.
    valid_to = DateField(_l("Valid until (empty: no end)"),
                         validators=[Optional(), DateRange(horizon_back, horizon)])


class JoinDecisionForm(FlaskForm):
    """Defence staff approve a first HR administrator only after checking with the
    enterprise through an official channel, and say how."""

    verified_by = RadioField(_l("How did you check that this person acts for the enterprise?"),
                             choices=[], validate_choice=False)
    note = TextAreaField(_l("What you checked"), filters=[_strip],
                         validators=[Length(max=1000)])


class StatementAnswerForm(FlaskForm):
    outcome = RadioField(_l("Answer"), choices=[], validate_choice=False)
    answer = TextAreaField(_l("Reason for your answer"), filters=[_strip],
                           validators=[Length(max=4000)])
    corrected = StringField(_l("Corrected amount in euros (only when you correct it)"),
                            filters=[_strip], validators=[Length(max=20)])


class PublicEmployerForm(FlaskForm):
    enterprise_number = StringField(_l("Enterprise number"), filters=[_strip],
                                    validators=[Length(max=20)])
    name = StringField(_l("Name (when the portal does not know the enterprise yet)"),
                       filters=[_strip], validators=[Length(max=200)])
