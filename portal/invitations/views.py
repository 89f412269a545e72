"""/start: a letter's invitation code and the date of birth open a prefilled sign-up.

The code never stays in a URL: a QR link's ?code= is moved into the session and the
browser sent to the clean /start. Unknown, used, expired and revoked codes, and a wrong
date of birth, all get one message and count against CODE_LIMIT per address.
"""
from __future__ import annotations

import logging
import re
from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.accounts import services as accounts
from portal.accounts.forms import SignupForm
from portal.extensions import db, limiter
from portal.invitations import codes, services
from portal.invitations.forms import AnswerForm, StartForm
from portal.invitations.models import Cohort
from portal.mail import deliver
from portal.navigation import landing_url
from portal.security import public, secret_in_url

bp = Blueprint("invitations", __name__)
log = logging.getLogger(__name__)

CODE_KEY = "invitations.code"
INVITATION_KEY = "invitations.invitation_id"


_CODE_IN_URL = re.compile(r"((?:^|[?&])code=)[^&\s\"]*", re.IGNORECASE)


def redact(text):
    return _CODE_IN_URL.sub(r"\1[redacted]", text) if isinstance(text, str) else text


class RedactCodes(logging.Filter):
    """Access logs (the development server's, gunicorn's) show ?code=[redacted]: the one
    request that carries a QR code's invitation code never writes it to a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, dict):  # gunicorn's access-log atoms
            record.args = {k: redact(v) for k, v in record.args.items()}
        elif record.args:
            record.args = tuple(redact(a) for a in record.args)
        return True


@bp.record_once
def _redact_access_logs(_state) -> None:
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactCodes) for f in logger.filters):
            logger.addFilter(RedactCodes())


def _code_limit() -> str:
    return current_app.config["CODE_LIMIT"]


def _code_address_limit() -> str:
    return current_app.config["CODE_ADDRESS_LIMIT"]


def _address_and_birth_date() -> str:
    """Failed codes count per address *and* date of birth: one guesser behind a school's or
    a family's address does not keep a classmate or a sister with her own letter out."""
    typed = (request.form.get("birth_date") or "")[:10]
    return f"{get_remote_address()}|{typed}"


def _failed_attempt(_response) -> bool:
    return bool(g.get("code_attempt_failed"))


def _code_attempts(view):
    """The limits on trying codes, the same on every page that takes one: per address and
    date of birth, and per address; only failed attempts count."""
    view = limiter.limit(_code_address_limit, methods=["POST"],
                         scope="invitations-code-address", deduct_when=_failed_attempt)(view)
    return limiter.limit(_code_limit, methods=["POST"], scope="invitations-code",
                         key_func=_address_and_birth_date, deduct_when=_failed_attempt)(view)


def _find_invitation(typed_code: str, birth_date):
    """The open invitation this code and date of birth belong to, or None."""
    printed = codes.normalize(typed_code)
    if printed is None:
        return None
    invitation = services.invitation_for_code_hash(codes.hash_code(printed))
    if invitation is None or invitation.person.birth_date != birth_date:
        return None
    return invitation


def _refuse_code(form) -> None:
    """A code and date of birth that open no invitation: counted as a failed attempt, and
    the same words whatever the reason, so that nothing is learnt about the code."""
    g.code_attempt_failed = True
    log.info("invitation code refused for %s", request.remote_addr)
    form.code.errors.append(_(
        "This code and date of birth do not open an invitation. Check both against your "
        "letter. A code can be used only once and only until the date in the letter."))


@bp.route("/start", methods=["GET", "POST"])
@public
@secret_in_url("code")
@_code_attempts
def start():
    if current_user.is_authenticated:
        flash(_("You are already signed in."), "info")
        return redirect(landing_url(current_user))
    if request.method == "GET" and "code" in request.args:
        # From the QR code: keep the code out of the address bar, history and logs.
        session[CODE_KEY] = request.args.get("code", "")[:40]
        return redirect(url_for("invitations.start"))
    form = StartForm()
    if request.method == "GET" and session.get(CODE_KEY):
        form.code.data = session[CODE_KEY]
    if form.validate_on_submit():
        invitation = _find_invitation(form.code.data, form.birth_date.data)
        if invitation is None:
            _refuse_code(form)
        elif invitation.person.user is not None:
            # Their account is how they come in now: never a sign-up that cannot succeed.
            session.pop(CODE_KEY, None)
            flash(_("You already have an account: log in with your e-mail address."), "info")
            return redirect(url_for("accounts.login"))
        else:
            session.pop(CODE_KEY, None)
            session[INVITATION_KEY] = invitation.id
            return redirect(url_for("invitations.start_account"))
    return render_template("invitations/start.html", form=form)


@bp.route("/start/account", methods=["GET", "POST"])
@public
def start_account():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    invitation = services.open_invitation(session.get(INVITATION_KEY))
    if invitation is None:
        session.pop(INVITATION_KEY, None)
        flash(_("Enter your invitation code to start."), "info")
        return redirect(url_for("invitations.start"))
    person = invitation.person
    if person.user is not None:
        session.pop(INVITATION_KEY, None)
        flash(_("You already have an account: log in with your e-mail address."), "info")
        return redirect(url_for("accounts.login"))
    form = SignupForm()
    if request.method == "GET":
        form.first_name.data = person.first_names.split()[0] if person.first_names else ""
        form.last_name.data = person.last_name
        form.language.data = person.language
    if form.validate_on_submit():
        try:
            user = services.sign_up_with_invitation(
                invitation, form.email.data, form.password.data, form.first_name.data,
                form.last_name.data, form.language.data)
        except services.InvitationUnavailable:
            db.session.rollback()
            session.pop(INVITATION_KEY, None)
            flash(_("This invitation code has just been used. Log in instead."), "error")
            return redirect(url_for("invitations.start"))
        except accounts.EmailTaken:
            db.session.rollback()
            deliver(accounts.send_account_exists, form.email.data)
        else:
            db.session.commit()
            session.pop(INVITATION_KEY, None)
            deliver(accounts.send_verification, user)
        # The same page whether or not the address already had an account.
        session["accounts.check_email"] = form.email.data
        return redirect(url_for("accounts.check_email"))
    return render_template("invitations/start_account.html", form=form, person=person)


def _deletion_date(invitation):
    """The day register data of someone who never signs up are deleted (as in the letter)."""
    cohort = invitation.person.cohort or db.session.get(Cohort, invitation.cohort_id)
    return cohort.expires_on + timedelta(
        days=current_app.config["RETENTION_DAYS"]["persons_never_signed_up"])


@bp.route("/start/answer", methods=["GET", "POST"])
@public
@_code_attempts
def answer():
    """An answer without signing up ("not interested", "maybe later"), with the code."""
    form = AnswerForm()
    if form.validate_on_submit():
        invitation = _find_invitation(form.code.data, form.birth_date.data)
        if invitation is None or invitation.person.user is not None:
            _refuse_code(form)
        else:
            services.record_answer(invitation, form.answer.data)
            db.session.commit()
            return render_template(
                "invitations/answered.html", answer=form.answer.data,
                expires_on=invitation.expires_on, deleted_on=_deletion_date(invitation))
    return render_template("invitations/answer.html", form=form)
