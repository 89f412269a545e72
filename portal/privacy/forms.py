"""Forms of the privacy pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.accounts.forms import ConfirmForm, ConfirmWithCodeForm


class EraseForm(FlaskForm):
    current_password = PasswordField(_l("Your password"), validators=[
        DataRequired(_l("Enter your password to confirm.")), Length(max=1000)])
    confirm = BooleanField(
        _l("I understand that my account and my data are erased now and cannot be restored."),
        validators=[DataRequired(_l("Tick the box to confirm."))])


class EraseWithCodeForm(FlaskForm):
    """For an account without a password: the code mailed to its address confirms."""

    code = StringField(_l("Confirmation code"), validators=[
        DataRequired(_l("Enter the code we sent you by e-mail.")), Length(max=40)])
    confirm = BooleanField(
        _l("I understand that my account and my data are erased now and cannot be restored."),
        validators=[DataRequired(_l("Tick the box to confirm."))])


# The download asks what every confirmation of the account holder asks.
ExportForm = ConfirmForm
ExportWithCodeForm = ConfirmWithCodeForm


class FinishForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Length(max=2000, message=_l(
        "Write at most 2000 characters."))])
