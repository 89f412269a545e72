"""Friendly, translated error pages."""
from __future__ import annotations

import contextlib
import logging
import math
import time

from flask import flash, g, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError

from portal import drafts
from portal.extensions import db, limiter, login_manager

log = logging.getLogger(__name__)


def register(app) -> None:
    def page(status: int, title: str, message: str):
        try:
            return render_template("errors/error.html", title=title, message=message), status
        except (OperationalError, InterfaceError) as err:
            # The page's menu looked up the account and the database is gone: say that.
            return database_unavailable(err)

    @app.errorhandler(CSRFError)
    def csrf_error(_err):
        view = app.view_functions.get(request.endpoint or "")
        if request.method == "POST" and session.get("_user_id") and view is not None \
                and not getattr(view, "is_public", False) and not current_user.is_authenticated:
            # The signed-in session ended too: what was typed waits for the same account's
            # next login.
            return login_manager.unauthorized()
        path = drafts.keep() if request.method == "POST" else None
        if path is not None:
            flash(_("Your session expired before this form was sent. What you typed is filled "
                    "in again: check it and send it again."), "error")
            return redirect(path, code=303)
        return page(400, _("Your session has expired"),
                    _("For your security this form can no longer be sent. Go back, reload the "
                      "page and try again. Nothing you saved before was lost."))

    @app.errorhandler(400)
    def bad_request(_err):
        return page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(403)
    def forbidden(_err):
        return page(403, _("Access denied"), _("You do not have access to this page."))

    @app.errorhandler(404)
    def not_found(_err):
        return page(404, _("Page not found"),
                    _("The page you asked for does not exist or is not yours to see."))

    @app.errorhandler(405)
    def method_not_allowed(_err):
        return page(405, _("Not allowed"), _("This page cannot be used that way."))

    @app.errorhandler(413)
    def too_large(_err):
        return page(413, _("File too large"), _("The file you sent is too large."))

    @app.errorhandler(429)
    def too_many(_err):
        """Say how long to wait: the breached limit's window, in whole minutes."""
        limit = limiter.current_limit
        seconds = max(1, int(limit.reset_at - time.time())) if limit is not None else 60
        minutes = max(1, math.ceil(seconds / 60))
        body, status = page(429, _("Too many attempts"), ngettext(
            "Too many attempts. Try again in %(num)d minute.",
            "Too many attempts. Try again in %(num)d minutes.", minutes))
        return body, status, {"Retry-After": str(seconds)}

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(err):
        """The database is out of reach (stopped, restarting, network): a friendly 503.
        The transaction never committed, so nothing is half-written; the pool reconnects
        by itself (pool_pre_ping) once the database is back."""
        log.warning("database unavailable: %s", type(getattr(err, "orig", err)).__name__)
        with contextlib.suppress(Exception):  # the connection is gone; nothing to undo
            db.session.rollback()
        # Render without the database: no account lookup for the page's menu or language.
        g._login_user = login_manager.anonymous_user()
        body, status = page(503, _("The portal is briefly unavailable"),
                            _("We cannot reach our database right now. Nothing you sent was "
                              "saved half-way. Please try again in a few minutes."))
        return body, status, {"Retry-After": "30", "Cache-Control": "no-store"}

    @app.errorhandler(500)
    def server_error(_err):
        db.session.rollback()
        return page(500, _("Something went wrong"),
                    _("An unexpected error occurred. Nothing was changed. Try again later."))
