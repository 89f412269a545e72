"""/login/fas: the federal login (eID, itsme), its return, and a first visit's account."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import mail
from portal.accounts import services as accounts
from portal.accounts.forms import FederatedSignupForm
from portal.accounts.views import deliver, sign_in
from portal.extensions import db
from portal.identity import oidc, services
from portal.navigation import landing_url
from portal.security import public

bp = Blueprint("federated", __name__)
log = logging.getLogger(__name__)

PENDING_KEY = "federated.pending"


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
    outcome = services.resolve(claims, signed_in)
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
