"""/login/fas: the federal login (eID, itsme), its return, a first visit's account, and
linking it to (or removing it from) an account.

Linking and unlinking take a fresh confirmation (accounts.reauth: the password given again
within REAUTH_MINUTES; staff have also passed their second factor, which the guard in
accounts.second_factor_views demands on every page of a half-signed-in session); only within
LINK_MINUTES of asking does the return from the provider attach a new identity to the open
session's account.
"""
from __future__ import annotations

import logging
import time

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from portal import mail, outbox
from portal.accounts import reauth
from portal.accounts import services as accounts
from portal.accounts.forms import FederatedSignupForm
from portal.accounts.views import deliver, sign_in
from portal.extensions import db, limiter
from portal.identity import oidc, services
from portal.navigation import landing_url
from portal.security import login_required, public, secret_in_url

bp = Blueprint("federated", __name__)
log = logging.getLogger(__name__)

PENDING_KEY = "federated.pending"
LINK_KEY = "federated.link"
LINK_MINUTES = 10
LINKED_SUBJECT = _l("eID or itsme is now linked to your account")


@bp.app_template_global()
def federated_login_enabled() -> bool:
    return oidc.enabled()


def _require_enabled() -> None:
    if not oidc.enabled():
        abort(404)


@bp.get("/login/fas")
@public
def start():
    _require_enabled()
    return oidc.authorize_redirect(mail.external_url("federated.callback"))


@bp.get("/login/fas/callback")
@public
@secret_in_url("code", "state")
def callback():
    _require_enabled()
    try:
        claims = oidc.finish()
    except oidc.LoginRefused as exc:
        log.warning("federal login refused: %s", exc)
        flash(_("The login with eID or itsme did not succeed. Try again, or log in with "
                "your e-mail address."), "error")
        return redirect(url_for("accounts.login"))
    signed_in = current_user._get_current_object() if current_user.is_authenticated else None
    linking = _link_requested(signed_in)
    try:
        outcome = services.resolve(claims, signed_in, linking=linking)
    except services.NotThisStaffMember:
        db.session.commit()  # the refusal's audit record
        flash(_("This eID or itsme identity is not the one recorded for this staff account. "
                "Log in with your e-mail address, or ask an administrator."), "error")
        return redirect(url_for("accounts.login"))
    if outcome.user is None and signed_in is not None:
        db.session.rollback()
        flash(_("To link eID or itsme to your account, start from your account page and "
                "confirm with your password."), "error")
        return redirect(url_for("accounts.account"))
    if outcome.linked:
        _tell_linked(outcome.user)
    if outcome.user is None:
        db.session.commit()
        session[PENDING_KEY] = {"sub": str(claims["sub"]), "person_id": outcome.person_id,
                                "given_name": str(claims.get("given_name", ""))[:100],
                                "family_name": str(claims.get("family_name", ""))[:100]}
        return redirect(url_for("federated.new_account"))
    user = accounts.federated_login(outcome.user)
    if user is None:
        db.session.commit()
        flash(_("This account is disabled."), "error")
        return redirect(url_for("accounts.login"))
    sign_in(user, "fas")
    return redirect(landing_url(user))


@bp.route("/login/fas/account", methods=["GET", "POST"])
@public
def new_account():
    pending = session.get(PENDING_KEY)
    if not pending:
        return redirect(url_for("accounts.login"))
    form = FederatedSignupForm()
    if form.validate_on_submit():
        try:
            user = services.open_account(pending, form.email.data, form.language.data)
        except accounts.EmailTaken:
            db.session.rollback()
            form.email.errors.append(_("Another account already uses this e-mail address. "
                                       "Log in to it, then link your eID or itsme from there."))
        else:
            accounts.federated_login(user)
            sign_in(user, "fas")
            deliver(accounts.send_verification, user)
            return redirect(landing_url(user))
    return render_template("identity/new_account.html", form=form,
                           name=f"{pending.get('given_name', '')} "
                                f"{pending.get('family_name', '')}".strip())


def _link_requested(signed_in) -> bool:
    """Whether the signed-in user confirmed, moments ago, that they want to link."""
    intent = session.pop(LINK_KEY, None)
    return (signed_in is not None and isinstance(intent, dict)
            and intent.get("user") == signed_in.id
            and time.time() - float(intent.get("at", 0)) < LINK_MINUTES * 60)


def _tell_linked(user) -> None:
    outbox.later(user.email, "notice", user.language, LINKED_SUBJECT,
                 name=user.first_name or user.email,
                 lines=(_l("From now on you can log in to the portal with eID or itsme."),
                        _l("If you did not do this, remove the link on your account page "
                           "and change your password.")),
                 link=mail.external_url("accounts.account"), link_label=None)


@bp.post("/account/federated/link")
@login_required
@limiter.limit(lambda: "10 per hour", methods=["POST"], scope="federated-link")
@reauth.required
def link():
    """After a fresh confirmation, go to the provider: its return links the identity."""
    _require_enabled()
    if current_user.fas_subject is not None or not FlaskForm().validate_on_submit():
        return redirect(url_for("accounts.account"))
    session[LINK_KEY] = {"user": current_user.id, "at": time.time()}
    return redirect(url_for("federated.start"))


@bp.post("/account/federated/unlink")
@login_required
@reauth.required
def unlink():
    """Remove the federal login from one's own account (not when it is the only way in)."""
    user = current_user._get_current_object()
    if user.fas_subject is None or not FlaskForm().validate_on_submit():
        return redirect(url_for("accounts.account"))
    if user.password_hash is None:
        flash(_("Your account has no password: choose one first (Forgot your password), "
                "or you could no longer log in."), "error")
        return redirect(url_for("accounts.account"))
    accounts.unlink_federated(user, user)
    db.session.commit()
    flash(_("eID or itsme is no longer linked to your account."), "success")
    return redirect(url_for("accounts.account"))
