"""Confirm it is you: sensitive account changes (recovery codes, the second factor, the
federal login, staff accounts and roles) need the password (or, for an account without one,
a mailed code) given again within REAUTH_MINUTES.

The time of the confirmation is kept with the server-side session (UserSession), so a copied
session cookie does not carry a confirmation along, and it ends with the session ("log out
everywhere"). A wrong password counts toward the login's limits of the account.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

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
from flask_login import current_user
from flask_wtf import FlaskForm

from portal import audit
from portal.accounts import confirmation, forms, services, throttling
from portal.extensions import db, limiter
from portal.mail import deliver
from portal.models import utcnow
from portal.security import login_required, safe_next

bp = Blueprint("reauth", __name__)


def window() -> timedelta:
    return timedelta(minutes=current_app.config["REAUTH_MINUTES"])


def fresh(user) -> bool:
    """Whether `user`'s current session confirmed it is them within REAUTH_MINUTES."""
    record = getattr(user, "current_session", None)
    return (record is not None and record.reauthenticated_at is not None
            and utcnow() - record.reauthenticated_at < window())


def mark(user, method: str) -> None:
    """Record the confirmation on the current session and in the audit log; flushes."""
    user.current_session.reauthenticated_at = utcnow()
    audit.record(user, "accounts.reauthenticated", user, method=method)
    db.session.flush()


def _where_from() -> str | None:
    """Where to come back to: this page for a GET; for a POST the page its form was on, when
    that is on this site."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


def ask():
    """Send the user to confirm it is them; nothing of the request is done."""
    flash(_("For this change, confirm it is you first."), "info")
    target = safe_next(_where_from(), "")
    return redirect(url_for("reauth.confirm_password", next=target or None))


def required(view: Callable) -> Callable:
    """Only with a fresh confirmation; put it under role_required or login_required."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated and not fresh(current_user):
            return ask()
        return view(*args, **kwargs)

    return wrapped


def _login_limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


def _this_account() -> str:
    return f"reauth:{current_user.get_id()}"


def _password_refused(user, form):
    """Before any hashing: the account's run of wrong passwords, or (staff) the shared
    counters out of reach. A status, or None to try the password."""
    wait = throttling.account_wait(user.email)
    if wait:
        form.current_password.errors.append(_(
            "Too many wrong passwords were tried for this account. Try again in %(wait)s, or "
            "choose a new password with “Forgot your password?”.",
            wait=format_timedelta(timedelta(seconds=wait), threshold=1.0)))
        return 429
    if throttling.refuses(user):
        flash(_("Login for staff accounts is temporarily unavailable. Try again in a few "
                "minutes."), "error")
        return 503
    return None


@bp.route("/account/confirm-password", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, key_func=_this_account, methods=["POST"], scope="reauth",
               deduct_when=lambda response: response.status_code != 302)
def confirm_password():
    user = current_user._get_current_object()
    by_code = user.password_hash is None
    form = forms.ConfirmWithCodeForm() if by_code else forms.ConfirmForm()
    next_url = safe_next(request.values.get("next"), url_for("accounts.account"))
    status = None
    if form.validate_on_submit():
        status = None if by_code else _password_refused(user, form)
        if status is None and confirmation.it_is_them(user, form, by_code):
            if not by_code:
                throttling.forget(user.email)
            mark(user, "code" if by_code else "password")
            db.session.commit()
            return redirect(next_url)
        if status is None:
            audit.record(None, "accounts.reauthentication_failed", user)
            if not by_code and throttling.count_failure(user.email):
                services.send_guessing_alert(user.email)
            db.session.commit()
    status = status or (400 if form.errors else 200)
    return render_template(
        "accounts/confirm_password.html", form=form, by_code=by_code, next_url=next_url,
        code_form=FlaskForm(), code_sent=confirmation.SESSION_KEY in session,
        minutes=current_app.config["ERASURE_CODE_MINUTES"],
        window=current_app.config["REAUTH_MINUTES"]), status


@bp.post("/account/confirm-password/code")
@login_required
@limiter.limit(_login_limit, key_func=_this_account, scope="reauth-code")
def send_code():
    """Mail a confirmation code to an account that has no password to confirm with."""
    user = current_user._get_current_object()
    back = url_for("reauth.confirm_password",
                   next=safe_next(request.form.get("next"), "") or None)
    if user.password_hash is not None or not FlaskForm().validate_on_submit():
        return redirect(back)
    code, kept = confirmation.new(user)
    if deliver(confirmation.send, user, code, "confirm"):
        session[confirmation.SESSION_KEY] = kept
        flash(_("We sent a confirmation code to %(email)s. It works for %(minutes)d minutes.",
                email=user.email, minutes=current_app.config["ERASURE_CODE_MINUTES"]),
              "success")
    return redirect(back)
