"""Second factor pages: the code after the password, enrolment with a QR code, and the
guard that sends staff without a second factor there before anything else."""
from __future__ import annotations

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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from portal import audit
from portal.accounts import reauth, second_factor, throttling
from portal.extensions import db, limiter
from portal.navigation import landing_url
from portal.security import login_required, safe_next

bp = Blueprint("second_factor", __name__)

CODES_KEY = "second_factor.codes"
NEXT_KEY = "second_factor.next"
# What staff may open before giving their second factor (the health probe, which must
# answer without the database, reveals nothing).
OPEN_BEFORE = {"accounts.logout", "static", "public.health"}


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[InputRequired(_l("Enter the code.")),
                    Length(max=20, message=_l("Use at most %(max)d characters."))],
    )


def _user_key() -> str:
    return f"second-factor:{getattr(current_user, 'id', None) or request.remote_addr}"


def _limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


@bp.app_template_global()
def second_factor_state() -> str | None:
    """For the account page: None (not for this account), "on" or "off"."""
    if not current_user.is_authenticated or not second_factor.offered(current_user):
        return None
    return "on" if second_factor.enrolled(current_user) else "off"


@bp.before_app_request
def require_second_factor():
    """Staff who gave only their password give their second factor before anything else:
    every route of such a half-signed-in session, public ones included (the federal login's
    return among them), leads to the second factor."""
    endpoint = request.endpoint or ""
    if endpoint.startswith("second_factor.") or endpoint in OPEN_BEFORE:
        return None
    # Without a signed-in session there is nothing to finish: a public page (a health
    # probe) then needs no database look-up.
    if "_user_id" not in session:
        return None
    if not current_user.is_authenticated or not second_factor.required(current_user):
        return None
    if second_factor.satisfied(current_user.current_session):
        return None
    if request.method == "GET":
        session[NEXT_KEY] = request.full_path.rstrip("?")
    target = "second_factor.verify" if second_factor.enrolled(current_user) \
        else "second_factor.enrol"
    return redirect(url_for(target))


# Codes tried, on the code page and the enrolment page alike (a success redirects).
_code_attempts = limiter.limit(_limit, key_func=_user_key, methods=["POST"],
                               scope="second-factor",
                               deduct_when=lambda response: response.status_code != 302)


def _done():
    second_factor.mark_session(current_user.current_session)
    db.session.commit()
    return redirect(safe_next(session.pop(NEXT_KEY, None), landing_url(current_user)))


@bp.route("/login/code", methods=["GET", "POST"])
@login_required
@_code_attempts
def verify():
    user = current_user._get_current_object()
    if not second_factor.enrolled(user):
        return redirect(url_for("second_factor.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        if throttling.refuses(user):
            flash(_("Login for staff accounts is temporarily unavailable. Try again in a "
                    "few minutes."), "error")
            return render_template("accounts/second_factor.html", form=form), 503
        method = second_factor.verify(user, form.code.data)
        if method is not None:
            if method == "recovery":
                flash(_("You used a recovery code. %(count)s remain.",
                        count=second_factor.remaining_recovery_codes(user)), "info")
            return _done()
        db.session.commit()  # keeps the audit of the failure
        form.code.errors.append(_("This code is not correct. Use the current code of your "
                                  "authenticator app, or a recovery code."))
    return render_template("accounts/second_factor.html", form=form)


@bp.route("/account/two-step", methods=["GET", "POST"])
@login_required
@_code_attempts
def enrol():
    user = current_user._get_current_object()
    if second_factor.enrolled(user) and not second_factor.satisfied(user.current_session):
        return redirect(url_for("second_factor.verify"))
    if second_factor.enrolled(user):
        return render_template("accounts/second_factor_on.html",
                               remaining=second_factor.remaining_recovery_codes(user),
                               renew_form=FlaskForm())
    form = CodeForm()
    secret = second_factor.pending_secret(user)
    db.session.commit()
    if form.validate_on_submit():
        codes = second_factor.confirm_enrolment(user, form.code.data)
        if codes is not None:
            second_factor.mark_session(user.current_session)
            db.session.commit()
            session[CODES_KEY] = codes
            return redirect(url_for("second_factor.recovery_codes"))
        form.code.errors.append(_("This code is not correct. Check the time on your phone "
                                  "and enter the current code."))
    return render_template("accounts/second_factor_enrol.html", form=form, secret=secret,
                           qr=second_factor.qr_data_uri(user))


@bp.get("/account/two-step/recovery-codes")
@login_required
def recovery_codes():
    """Shown once, right after enrolment: the codes are not stored in readable form."""
    codes = session.pop(CODES_KEY, None)
    if not codes:
        return redirect(url_for("second_factor.enrol"))
    return render_template("accounts/recovery_codes.html", codes=codes,
                           next_url=safe_next(session.pop(NEXT_KEY, None),
                                              landing_url(current_user)))


@bp.post("/account/two-step/recovery-codes/new")
@login_required
@reauth.required
def renew_recovery_codes():
    """New recovery codes in place of all the old ones (used up, or seen by someone)."""
    user = current_user._get_current_object()
    if not second_factor.enrolled(user) or not FlaskForm().validate_on_submit():
        return redirect(url_for("second_factor.enrol"))
    session[CODES_KEY] = second_factor.new_recovery_codes(user)
    audit.record(user, "accounts.recovery_codes_renewed", user)
    db.session.commit()
    return redirect(url_for("second_factor.recovery_codes"))
