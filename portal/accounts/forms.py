"""Forms of the account pages; labels and messages are lazy so they follow the locale."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    ValidationError,
)

from portal import i18n
from portal.accounts.passwords import MAX_LENGTH, policy_problem


def language_choices() -> list[SelectChoice]:
    # WTForms 3.3 deprecates (value, label) tuples for choices.
    return [SelectChoice(code, name, render_kw={"lang": code})
            for code, name in i18n.LANGUAGES.items()]


def _email_field(label=None):
    return EmailField(
        label or _l("E-mail address"),
        validators=[
            InputRequired(_l("Enter your e-mail address.")),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
            Email(_l("Enter an e-mail address like name@example.be."),
                  check_deliverability=False),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )


def _name_field(label, required_message):
    return StringField(
        label,
        validators=[InputRequired(required_message),
                    Length(max=100, message=_l("Use at most %(max)d characters."))],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )


def _new_password(label=None):
    return PasswordField(label or _l("Password"),
                         validators=[InputRequired(_l("Choose a password."))])


def _confirm(label=None):
    return PasswordField(
        label or _l("Repeat the password"),
        validators=[InputRequired(_l("Repeat the password.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
    )


class _PasswordPolicy:
    """Checks `password` against length and the e-mail address (the form's or the user's)."""

    policy_email: str | None = None

    def validate_password(self, field):
        email = self.email.data if hasattr(self, "email") else self.policy_email
        problem = policy_problem(field.data or "", email)
        if problem:
            raise ValidationError(problem)


def _language_field():
    return SelectField(
        _l("Language"),
        choices=language_choices(),
        validators=[InputRequired(_l("Choose a language.")),
                    AnyOf(list(i18n.LANGUAGES), _l("Choose one of the languages in the list."))],
        validate_choice=False,  # AnyOf says it with our own, translated words
    )


class SignupForm(_PasswordPolicy, FlaskForm):
    first_name = _name_field(_l("First name"), _l("Enter your first name."))
    last_name = _name_field(_l("Last name"), _l("Enter your last name."))
    email = _email_field()
    language = _language_field()
    password = _new_password()
    confirm = _confirm()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
        if not self.is_submitted():
            self.language.data = i18n.current()


class FederatedSignupForm(FlaskForm):
    """A first federal login: the name comes from the identity, the address from them."""

    email = _email_field()
    language = _language_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
        if not self.is_submitted():
            self.language.data = i18n.current()


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")),
                    Length(max=MAX_LENGTH, message=_l("Use at most %(max)d characters."))],
    )


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(_PasswordPolicy, FlaskForm):
    password = _new_password(_l("New password"))
    confirm = _confirm(_l("Repeat the new password"))


class ProfileForm(FlaskForm):
    first_name = _name_field(_l("First name"), _l("Enter your first name."))
    last_name = _name_field(_l("Last name"), _l("Enter your last name."))
    language = _language_field()


class ChangeEmailForm(FlaskForm):
    email = _email_field(_l("New e-mail address"))
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )


class ChangePasswordForm(_PasswordPolicy, FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )
    password = _new_password(_l("New password"))
    confirm = _confirm(_l("Repeat the new password"))


class StaffForm(FlaskForm):
    first_name = _name_field(_l("First name"), _l("Enter the first name."))
    last_name = _name_field(_l("Last name"), _l("Enter the last name."))
    email = _email_field()
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("recruiter", _l("Recruiter")),
                 SelectChoice("admin", _l("Administrator")),
                 SelectChoice("employer", _l("Employer")),
                 SelectChoice("unit_staff", _l("Unit staff")),
                 SelectChoice("medical_staff", _l("Medical staff")),
                 SelectChoice("security_officer", _l("Security officer"))],
        validators=[InputRequired(_l("Choose a role.")),
                    AnyOf(["recruiter", "admin", "employer", "unit_staff", "medical_staff",
                           "security_officer"],
                          _l("Choose a role."))],
        validate_choice=False,
    )
    language = _language_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class StaffRoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("recruiter", _l("Recruiter")),
                 SelectChoice("admin", _l("Administrator")),
                 SelectChoice("unit_staff", _l("Unit staff")),
                 SelectChoice("medical_staff", _l("Medical staff")),
                 SelectChoice("security_officer", _l("Security officer"))],
        validators=[InputRequired(_l("Choose a role.")),
                    AnyOf(["recruiter", "admin", "unit_staff", "medical_staff",
                           "security_officer"],
                          _l("Choose a role."))],
        validate_choice=False,
    )


class StaffNationalNumberForm(FlaskForm):
    national_number = StringField(
        _l("National register number"),
        validators=[InputRequired(_l("Enter the national register number.")),
                    Length(max=20, message=_l("Use at most %(max)d characters."))])


class ConfirmForm(FlaskForm):
    """It is the account holder: the password, once more."""

    current_password = PasswordField(_l("Your password"), validators=[
        DataRequired(_l("Enter your password to confirm.")), Length(max=1000)])


class ConfirmWithCodeForm(FlaskForm):
    """For an account without a password: the code mailed to its address confirms."""

    code = StringField(_l("Confirmation code"), validators=[
        DataRequired(_l("Enter the code we sent you by e-mail.")), Length(max=40)])
