"""The HR user's forms: opening a link, signing or declining, the enterprise, colleagues."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from portal import i18n
from portal.accounts.forms import language_choices
from portal.dateranges import DateField, DateRange, horizon, tomorrow
from portal.numbers import IntegerField


def letter_language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, i18n.LANGUAGES[code], render_kw={"lang": code})
            for code in i18n.LETTER_LANGUAGES]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OpenLinkForm(FlaskForm):
    """Only asked when the address has no account yet; no password."""

    first_name = StringField(_l("First name"), filters=[_strip], validators=[Length(max=100)])
    last_name = StringField(_l("Last name"), filters=[_strip], validators=[Length(max=100)])
    language = SelectField(_l("Language"), choices=language_choices, validate_choice=False)


class PostalFields:
    """The enterprise's postal address and the person its letters are addressed to; the
    service (enterprise.postal_address, contact_person) checks them."""

    street = StringField(_l("Street"), filters=[_strip], validators=[Length(max=120)])
    house_number = StringField(_l("House number"), filters=[_strip],
                               validators=[Length(max=12)])
    box = StringField(_l("Box"), filters=[_strip], validators=[Length(max=12)])
    postcode = StringField(_l("Postcode"), filters=[_strip], validators=[Length(max=10)])
    municipality = StringField(_l("Municipality"), filters=[_strip],
                               validators=[Length(max=80)])
    contact_name = StringField(_l("Name of the person our letters are addressed to"),
                               filters=[_strip], validators=[Length(max=200)])
    contact_function = StringField(_l("Their function"), filters=[_strip],
                                   validators=[Length(max=200)])

    def address(self) -> dict:
        return {name: self[name].data for name in
                ("street", "house_number", "box", "postcode", "municipality")}

    def contact(self) -> dict:
        return {"name": self.contact_name.data, "function": self.contact_function.data}

    def fill(self, employer, user=None) -> None:
        """Show what the enterprise has; the contact person defaults to `user`."""
        for name in ("street", "house_number", "box", "postcode", "municipality",
                     "contact_name", "contact_function"):
            self[name].data = getattr(employer, name)
        if not self.contact_name.data and user is not None:
            self.contact_name.data = user.full_name


class SignForm(PostalFields, FlaskForm):
    terms_id = HiddenField()
    version = HiddenField()
    name = StringField(_l("Your name"), filters=[_strip], validators=[Length(max=200)])
    function = StringField(_l("Your function"), filters=[_strip], validators=[Length(max=200)])
    agree = BooleanField(_l("I sign this agreement on behalf of the company"),
                         validators=[InputRequired(_l("Tick the box to sign."))])


class ReasonForm(FlaskForm):
    version = HiddenField()
    reason = StringField(_l("Reason"), filters=[_strip], validators=[Length(max=500)])


class EmployerForm(PostalFields, FlaskForm):
    joint_committee = StringField(_l("Joint committee number (paritair comité / commission "
                                     "paritaire)"), filters=[_strip], validators=[Length(max=20)])
    language = SelectField(_l("Language of the enterprise's letters"),
                           choices=letter_language_choices)


class ColleagueForm(FlaskForm):
    email = StringField(_l("Your colleague's e-mail address"), filters=[_strip],
                        validators=[InputRequired(_l("Give your colleague's e-mail address.")),
                                    Length(max=254)])
    admin = BooleanField(_l("May invite colleagues too"))


class PeriodAnswerForm(FlaskForm):
    revision = HiddenField()
    reason = StringField(_l("Reason"), filters=[_strip], validators=[Length(max=500)])
    proposed_date = DateField(_l("Proposed other start date"),
                              validators=[Optional(), DateRange(tomorrow, horizon)])
    days = IntegerField(validators=[Optional()])


class JoinForm(FlaskForm):
    """A contact asks to become an HR user of the enterprise. On the agreement page beside
    the signing form: its fields are prefixed, and the page-wide CSRF check (CSRFProtect)
    covers it, so it renders no second token field of the same id."""

    class Meta:
        csrf = False

    function = StringField(_l("Your function"), filters=[_strip],
                           validators=[InputRequired(_l("Give your function in the company.")),
                                       Length(max=200)])


class SignInLinkForm(FlaskForm):
    email = StringField(_l("Your work e-mail address"), filters=[_strip],
                        validators=[InputRequired(_l("Enter your work e-mail address.")),
                                    Length(max=254)])


class BankAccountForm(FlaskForm):
    iban = StringField(_l("Account number (IBAN)"), filters=[_strip],
                       validators=[Length(max=50)])


class StatementReviewForm(FlaskForm):
    # "" for the whole statement, else the reservist id of a line (choices set by the view).
    line = SelectField(_l("What you contest"), choices=[], validate_choice=False)
    reason = TextAreaField(_l("Reason"), filters=[_strip], validators=[Length(max=4000)])
