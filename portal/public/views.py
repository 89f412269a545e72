"""Public pages: home, the service year explained, the privacy notice, the accessibility
statement, the language switch."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from portal import clock, i18n
from portal.applications import offer_terms
from portal.applications.intakes import services as intake_services
from portal.applications.vocab import COMPONENT_LABELS
from portal.extensions import db, login_manager
from portal.security import public, safe_next

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def home():
    """The next intake's own figures (places per component, ages, dates) when there is one;
    nothing about places an intake does not offer."""
    today = clock.today()
    intake = next(iter(intake_services.open_intakes(today)), None)
    places = []
    if intake is not None:
        places = [_("%(component)s: %(places)s", component=label,
                    places=format_number(intake.quota_for(component)))
                  for component, label in COMPONENT_LABELS.items()
                  if intake.quota_for(component) > 0]
    return render_template("public/home.html", intake=intake, places=places)


@bp.get("/parents")
@public
def parents():
    """For the parents of an invited young person, in their language: what the year is and
    is not, the open intakes' own figures, what happens to their child's data."""
    return render_template(
        "public/parents.html", intakes=intake_services.open_intakes(clock.today()),
        offer_lines=offer_terms.lines, months=current_app.config["SERVICE_YEAR_MONTHS"],
        retention=current_app.config["RETENTION_DAYS"])


@bp.get("/privacy")
@public
def privacy():
    """The privacy notice: who keeps what, why, for how long, and the reader's rights."""
    return render_template("public/privacy.html",
                           retention=current_app.config["RETENTION_DAYS"])


@bp.get("/accessibility")
@public
def accessibility():
    """The accessibility statement."""
    return render_template("public/accessibility.html")


@bp.post("/language")
@public
def set_language():
    """Switch language; remembered in a cookie, and on the account when signed in."""
    code = i18n.valid(request.form.get("lang")) or i18n.DEFAULT
    if current_user.is_authenticated and current_user.language != code:
        current_user.language = code
        db.session.commit()
    response = redirect(safe_next(request.form.get("next"), url_for("public.home")))
    response.set_cookie(
        i18n.COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.get("/healthz")
@public
def health():
    """For load balancers and monitoring: 200 when the portal can serve, 503 and the
    reason when its database is out of reach. A Redis outage degrades (jobs wait, login
    throttling falls back) but does not stop the portal."""
    # No account lookup for a probe: its answer must not depend on the session cookie.
    g._login_user = login_manager.anonymous_user()
    checks, status = {}, "ok"
    try:
        db.session.execute(db.text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as exc:
        db.session.rollback()
        checks["database"] = "unreachable: " + _reason(exc)
        status = "unavailable"
    if current_app.config.get("REDIS_URL"):
        try:
            from redis import Redis  # only when REDIS_URL is set

            Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=1,
                           socket_connect_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # any failure means unreachable
            checks["redis"] = "unreachable: " + type(exc).__name__
            status = "degraded" if status == "ok" else status
    response = jsonify(status=status, **checks)
    response.status_code = 503 if status == "unavailable" else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def _reason(exc: SQLAlchemyError) -> str:
    """The first line of the driver's message, without addresses or credentials."""
    original = getattr(exc, "orig", None) or exc
    first = str(original).strip().splitlines()[0] if str(original).strip() else ""
    for marker in ("connection refused", "could not connect", "server closed", "timeout",
                   "terminating connection", "the database system is"):
        if marker in first.lower():
            return f"{type(original).__name__} ({marker})"
    return type(original).__name__
