"""The administrator's form for a sector agreement."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, Optional


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
                                                        "applies."))])
    valid_to = DateField(_l("Valid until (empty: no end)"), validators=[Optional()])
