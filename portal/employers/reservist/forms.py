"""The reservist's forms: naming an employer."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal import i18n


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NominationForm(FlaskForm):
    enterprise_number = StringField(
        _l("Enterprise number (KBO/BCE)"), filters=[_strip],
        validators=[InputRequired(_l("Give the enterprise number.")), Length(max=20)])
    name = StringField(_l("Company name"), filters=[_strip],
                       validators=[InputRequired(_l("Give the name of the company.")),
                                   Length(max=200)])
    hr_email = StringField(_l("E-mail address of your HR contact"), filters=[_strip],
                           validators=[InputRequired(_l("Give your HR contact's e-mail "
                                                        "address.")), Length(max=254)])
    hr_language = SelectField(_l("Language your HR contact reads"),
                              choices=lambda: [SelectChoice(code, i18n.LANGUAGES[code],
                                                            render_kw={"lang": code})
                                               for code in i18n.LETTER_LANGUAGES],
                              validate_choice=False)
    hold = BooleanField(_l("Do not contact my employer yet"))


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), filters=[_strip], validators=[Length(max=500)])


class StatementReviewForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[_strip], validators=[Length(max=4000)])


class SelfEmploymentForm(FlaskForm):
    """Prefixed: it sits on the employer page beside the form that names an employer."""

    enterprise_number = StringField(_l("Your enterprise number (KBO/BCE)"), filters=[_strip],
                                    validators=[Length(max=20)])
    iban = StringField(_l("The account to pay your compensation into (IBAN)"),
                       filters=[_strip], validators=[Length(max=50)])
