"""Public pages: home, the service year explained, the language switch."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from portal import i18n
from portal.extensions import db
from portal.security import public, safe_next

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def home():
    return render_template("public/home.html")


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
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
