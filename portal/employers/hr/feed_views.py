"""The enterprise's planning as a subscribable address: the page where its HR users make,
renew or stop it, and the address itself (iCalendar and CSV), read by calendar apps
without signing in."""
from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from portal import clock, i18n, refusals, secret_addresses
from portal.employers import planning, planning_feed
from portal.employers.hr.views import _employer_or_404  # the enterprise's members only
from portal.employers.models import Employer
from portal.employers.web import commit_and_send
from portal.extensions import db
from portal.refusals import Refusal
from portal.security import Role, public, role_required, secret_in_url

bp = Blueprint("employers_feed", __name__, url_prefix="/employer")
log = logging.getLogger(__name__)
SESSION_KEY = "employer_planning_feed"


@bp.get("/enterprises/<int:employer_id>/planning/subscription")
@role_required(Role.EMPLOYER)
def subscription(employer_id: int):
    employer = _employer_or_404(employer_id)
    fresh = session.pop(SESSION_KEY, None)
    token = None
    if isinstance(fresh, dict) and fresh.get("employer_id") == employer.id:
        token = planning_feed.unseal(fresh.get("sealed", ""))
    return render_template("employers/hr/planning_feed.html", employer=employer,
                           address=planning_feed.Address.of(token) if token else None,
                           current=planning_feed.current(employer.id), form=FlaskForm())


def _back(employer: Employer):
    return redirect(url_for("employers_feed.subscription", employer_id=employer.id))


def _change(employer: Employer, change) -> tuple[bool, object]:
    """Make the posted change to the enterprise's address (`change(user, employer)`) and
    commit it: (True, what it returned), or (False, None) when it was refused (shown)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        result = change(current_user, employer)
    except Refusal as refusal:
        refusals.show(refusal)
        return False, None
    commit_and_send()
    return True, result


@bp.post("/enterprises/<int:employer_id>/planning/subscription/renew")
@role_required(Role.EMPLOYER)
def renew(employer_id: int):
    employer = _employer_or_404(employer_id)
    done, token = _change(employer, planning_feed.renew)
    if done:
        # Shown once on the next page; never stored, logged or put in a cookie in the clear.
        session[SESSION_KEY] = {"employer_id": employer.id,
                                "sealed": planning_feed.seal(token)}
        flash(_("The new address is ready. Any older address of the enterprise no longer "
                "works."), "success")
    return _back(employer)


@bp.post("/enterprises/<int:employer_id>/planning/subscription/revoke")
@role_required(Role.EMPLOYER)
def revoke(employer_id: int):
    employer = _employer_or_404(employer_id)
    done, stopped = _change(employer, planning_feed.revoke)
    if done and stopped:
        flash(_("The address no longer works: calendars that read it get nothing new."),
              "success")
    return _back(employer)


def _serve(token: str, kind: str):
    feed = planning_feed.find(token)
    if feed is None:
        abort(404)
    employer = db.session.get(Employer, feed.employer_id)
    today = clock.today()
    try:
        found = planning.rows(employer, today)
        with i18n.locale(i18n.valid(employer.language) or i18n.DEFAULT):
            if kind == "ics":
                body, mimetype = planning.to_ical(employer, found), "text/calendar"
            else:
                body = planning.to_csv(employer, found).encode("utf-8-sig")
                mimetype = "text/csv"
    except Exception:
        # Flask would log the request's path, which is the secret: name the feed instead.
        log.exception("planning feed %s could not be made", feed.id)
        abort(500)
    planning_feed.mark_read(feed)
    db.session.commit()
    return secret_addresses.response(body, mimetype,
                                     f"{planning.file_stem(employer, today)}.{kind}")


@bp.get("/planning/<token>.ics")
@public
@secret_in_url()
# Calendar apps of many enterprises share a few servers' addresses: each address is
# counted on its own, unknown or stopped ones per client address (the Reserve's limits).
@planning_feed.ADDRESSES.throttled("employer-feed")
def feed_ics(token: str):
    """The enterprise's planning for a calendar app: anyone holding the address reads it;
    a stopped one is 404."""
    return _serve(token, "ics")


@bp.get("/planning/<token>.csv")
@public
@secret_in_url()
@planning_feed.ADDRESSES.throttled("employer-feed")
def feed_csv(token: str):
    """The same planning as a spreadsheet, for a payroll tool that fetches it."""
    return _serve(token, "csv")
