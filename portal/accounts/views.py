"""Sign-up, e-mail verification, login, logout, password reset and the account page."""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user

from portal import i18n
from portal.accounts import devices, forms, services, sessions, throttling
from portal.extensions import db, limiter
from portal.mail import deliver
from portal.navigation import landing_url
from portal.security import login_required, public, safe_next, secret_in_url

bp = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)

RESET_SESSION_KEY = "accounts.reset_token"


def _login_limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_LIMIT"]


def _account_at_address() -> str:
    """Throttle key for the account named in the form, from this address (hashed: keys
    may live in Redis). Failures from elsewhere never lock the owner out."""
    email = services.normalize_email(request.form.get("email", ""))
    pair = f"{email}\n{get_remote_address()}"
    return "account-address:" + hashlib.sha256(pair.encode()).hexdigest()[:32]


def _failed(response) -> bool:
    return response.status_code != 302


def _throttled(count: Callable | None = None):
    """Per account-and-address and per address, checked before any hashing. `count` picks
    the responses that use up an attempt (default: every POST). Per account alone there
    is no hard limit, which would let anyone keep its owner out: throttling.account_wait
    slows guesses spread over many addresses instead."""

    def decorator(view):
        view = limiter.limit(_login_limit, key_func=_account_at_address, methods=["POST"],
                             scope="accounts-account-address", deduct_when=count)(view)
        return limiter.limit(_address_limit, methods=["POST"], scope="accounts-address",
                             deduct_when=count)(view)

    return decorator


def sign_in(user, method: str) -> None:
    """Start a server-side session for `user`, commit, and give the browser a new session
    cookie: whatever the visitor's cookie held before (a planted one too) is dropped."""
    sessions.start(user, method, request.remote_addr or "",
                   request.headers.get("User-Agent", ""))
    db.session.commit()
    sessions.new_cookie(user)


@bp.route("/sign-up", methods=["GET", "POST"])
@public
def signup():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = forms.SignupForm()
    if form.validate_on_submit():
        try:
            user = services.create_citizen(form.email.data, form.password.data,
                                           form.first_name.data, form.last_name.data,
                                           form.language.data)
        except services.EmailTaken:
            db.session.rollback()
            deliver(services.send_account_exists, form.email.data)
        else:
            db.session.commit()
            deliver(services.send_verification, user)
        # The same page whether or not the address already had an account.
        session["accounts.check_email"] = form.email.data
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/signup.html", form=form)


@bp.get("/sign-up/check-email")
@public
def check_email():
    return render_template("accounts/check_email.html",
                           email=session.get("accounts.check_email"))


@bp.get("/verify-email/<token>")
@public
@secret_in_url()
def verify_email(token: str):
    user = services.verify_email(token)
    if user is None:
        db.session.rollback()
        return render_template("accounts/link_invalid.html"), 400
    db.session.commit()
    flash(_("Thank you: your e-mail address is confirmed."), "success")
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    return redirect(url_for("accounts.login"))


@bp.post("/account/verify-email/resend")
@login_required
@limiter.limit(_login_limit, scope="accounts-resend")
def resend_verification():
    if current_user.email_verified_at is None and deliver(services.send_verification,
                                                        current_user):
        flash(_("We sent a new confirmation e-mail to %(email)s.", email=current_user.email),
              "success")
    return redirect(url_for("accounts.account"))


@bp.route("/login", methods=["GET", "POST"])
@public
@_throttled(count=_failed)  # only failed attempts: an office behind one address logs in often
def login():
    next_url = request.values.get("next")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(next_url, landing_url(current_user)))
    form = forms.LoginForm()
    if form.validate_on_submit():
        wait = throttling.account_wait(form.email.data)
        if wait:  # no password is tried: guesses spread over many addresses are slowed
            return _account_slowed(form, next_url, wait)
        if throttling.refuses(services.find_by_email(form.email.data)):
            return _staff_login_unavailable(form, next_url)
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            throttling.forget(form.email.data)
            sign_in(user, "password")
            return redirect(safe_next(next_url, landing_url(user)))
        alert = throttling.count_failure(form.email.data)
        if alert:
            services.send_guessing_alert(form.email.data)
        db.session.commit()  # keeps the audit of the failure
        form.password.errors.append(_("The e-mail address or password is not correct."))
    return render_template("accounts/login.html", form=form, next_url=safe_next(next_url, ""))


def _account_slowed(form, next_url, wait: int):
    """Refused without trying the password; says how long to wait (429)."""
    form.password.errors.append(_(
        "Too many wrong passwords were tried for this account. Try again in %(wait)s, or "
        "choose a new password with “Forgot your password?”.",
        wait=format_timedelta(timedelta(seconds=wait), threshold=1.0)))
    return render_template("accounts/login.html", form=form,
                           next_url=safe_next(next_url, "")), 429


def _staff_login_unavailable(form, next_url):
    """Fail closed: no password of a staff account is tried while failed attempts cannot
    be counted across the portal's processes."""
    log.warning("staff login refused: the shared login throttle cannot be reached")
    flash(_("Login for staff accounts is temporarily unavailable. Try again in a few "
            "minutes."), "error")
    return render_template("accounts/login.html", form=form,
                           next_url=safe_next(next_url, "")), 503


@bp.post("/logout")
@login_required
def logout():
    services.logout(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("public.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
@_throttled()  # every request sends an e-mail
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        # In the outbox before the response, sent after it: the same page, as fast, for a
        # known or unknown address, and nothing lost if the sending after it fails.
        services.send_password_reset(form.email.data)
        db.session.commit()
        session["accounts.check_email"] = form.email.data
        return redirect(url_for("accounts.forgot_password_sent"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.get("/forgot-password/sent")
@public
def forgot_password_sent():
    return render_template("accounts/forgot_password_sent.html",
                           email=session.get("accounts.check_email"))


@bp.get("/reset-password/<token>")
@public
@secret_in_url()
def reset_with_token(token: str):
    """Move the token from the address bar into the session, then show the form."""
    session[RESET_SESSION_KEY] = token
    return redirect(url_for("accounts.reset_password"))


@bp.route("/reset-password", methods=["GET", "POST"])
@public
def reset_password():
    token = session.get(RESET_SESSION_KEY, "")
    user = services.user_for_reset(token) if token else None
    if user is None:
        session.pop(RESET_SESSION_KEY, None)
        return render_template("accounts/link_invalid.html"), 400
    form = forms.ResetPasswordForm()
    form.policy_email = user.email
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        throttling.forget(user.email)
        db.session.commit()
        session.pop(RESET_SESSION_KEY, None)
        if current_user.is_authenticated:
            logout_user()
        flash(_("Your new password is saved. You can log in with it now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, user=user)


def _account_page(profile=None, email_form=None, password_form=None, status=200):
    user = current_user
    if profile is None:
        profile = forms.ProfileForm(formdata=None, obj=user)
    email_form = email_form or forms.ChangeEmailForm(formdata=None)
    password_form = password_form or forms.ChangePasswordForm(formdata=None)
    # Three forms on one page: ids of their own, so that each label names its own field.
    for prefix, form in (("email", email_form), ("password", password_form)):
        for f in form:
            f.id = f"{prefix}-{f.name}"
            f.label.field_id = f.id
    return render_template("accounts/account.html", profile=profile, email_form=email_form,
                           password_form=password_form, language_labels=i18n.LANGUAGES,
                           sessions=sessions.active(user), describe_device=devices.describe,
                           time_ago=devices.ago,
                           this_session=user.current_session), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    if request.method == "GET":
        return _account_page()
    profile = forms.ProfileForm()
    if not profile.validate_on_submit():
        return _account_page(profile=profile, status=400)
    services.update_profile(current_user, profile.first_name.data, profile.last_name.data,
                            profile.language.data)
    db.session.commit()
    flash(_("Your details are saved."), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/email")
@login_required
def change_email():
    form = forms.ChangeEmailForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            old = services.change_email(user, form.current_password.data, form.email.data)
        except services.EmailTaken:
            db.session.rollback()
            form.email.errors.append(_("Another account already uses this e-mail address."))
            return _account_page(email_form=form, status=400)
        if old is None:
            form.current_password.errors.append(_("Your current password is not correct."))
            return _account_page(email_form=form, status=400)
        if old != user.email:
            db.session.commit()
            deliver(services.send_email_changed, user, old)
            if deliver(services.send_verification, user):
                flash(_("Your e-mail address is changed. We sent a confirmation e-mail to "
                        "%(email)s.", email=user.email), "success")
        return redirect(url_for("accounts.account"))
    return _account_page(email_form=form, status=400)


@bp.post("/account/password")
@login_required
def change_password():
    user = current_user._get_current_object()
    form = forms.ChangePasswordForm()
    form.policy_email = user.email
    if form.validate_on_submit():
        if services.change_password(user, form.current_password.data, form.password.data):
            db.session.commit()
            flash(_("Your new password is saved."), "success")
            return redirect(url_for("accounts.account"))
        form.current_password.errors.append(_("Your current password is not correct."))
    return _account_page(password_form=form, status=400)


@bp.post("/account/sessions/end-all")
@login_required
def log_out_everywhere():
    """End every session of this account, this one included (a lost phone, a shared PC)."""
    sessions.log_out_everywhere(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out on every device."), "success")
    return redirect(url_for("accounts.login"))


@bp.app_template_global()
def needs_verification() -> bool:
    return bool(current_user.is_authenticated and current_user.email_verified_at is None)
