"""When a signed-in session is about to end, or has ended: the "stay signed in" request the
page's warning sends, and the way to login that keeps what a form was sending."""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    has_request_context,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_login.utils import make_next_param

from portal import drafts
from portal.accounts import sessions
from portal.extensions import db, login_manager
from portal.security import login_required, safe_next

bp = Blueprint("session_end", __name__)


def warning_seconds() -> int:
    """How long before the idle limit the page warns (IDLE_WARNING_MINUTES), never more
    than the limit itself."""
    config = current_app.config
    return 60 * max(0, min(config["IDLE_WARNING_MINUTES"], config["SESSION_IDLE_MINUTES"]))


@bp.app_context_processor
def session_warning() -> dict:
    """What the page's warning needs: for a signed-in session only."""
    # Letters and e-mails are rendered outside a request, where there is no user at all.
    signed_in = has_request_context() and current_user and current_user.is_authenticated
    record = getattr(current_user, "current_session", None) if signed_in else None
    if record is None:
        return {"session_warning": None}
    minutes = warning_seconds() // 60
    return {"session_warning": {
        "left": sessions.seconds_left(record), "warn": warning_seconds(),
        "text": ngettext("Your session ends in %(num)d minute.",
                         "Your session ends in %(num)d minutes.", minutes),
    }}


@bp.post("/session/stay")
@login_required
def stay_signed_in():
    """Touch the session (a POST, CSRF-checked like every form). The page's script gets the
    seconds left; without script, the form goes back to the page it came from."""
    record = current_user.current_session
    sessions.touch(record)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(left=sessions.seconds_left(record), warn=warning_seconds())
    flash(_("You are still signed in."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("public.home")), code=303)


def _page_to_return_to() -> str:
    """The page to open again after login: this one for a GET, else the page the form was
    on (a POST-only address cannot be opened)."""
    if request.method == "GET":
        return make_next_param(url_for("accounts.login"), request.url)
    referrer = request.referrer or ""
    base = request.host_url
    if referrer.startswith(base):
        return safe_next("/" + referrer[len(base):], "")
    return ""


def unauthorized():
    """Not signed in on a page that needs it. When the browser's session has just ended
    (idle or too old), a form being sent is kept for the same account's next login and
    login leads back to that form's page."""
    owner = sessions.owner(session.get("_user_id"))
    if owner is None:
        flash(login_manager.login_message, login_manager.login_message_category)
        next_url = _page_to_return_to()
    else:
        page = drafts.keep(user_id=owner) if request.method == "POST" else None
        if page is not None:
            flash(_("Your session ended before this form was sent. Log in again: what you "
                    "typed is kept for you."), "info")
        elif request.method == "POST":
            flash(_("Your session ended before this form was sent, so nothing was sent. Log "
                    "in again and send it once more."), "info")
        else:
            flash(_("Your session has ended. Log in again to go on."), "info")
        next_url = page or _page_to_return_to()
    return redirect(url_for("accounts.login", next=next_url or None))
