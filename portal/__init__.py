"""Dienstjaar portal: the app factory."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal import config as config_module
from portal import textclean
from portal.extensions import babel, csrf, db, limiter, login_manager, migrate

# Every model module, so that metadata (and Alembic) sees all tables.
MODEL_MODULES = (
    "portal.audit",
    "portal.jobs",
    "portal.accounts.models",
    "portal.invitations.models",
    "portal.letters.models",
    "portal.applications.models",
    "portal.applications.session_models",
    "portal.applications.review_models",
    "portal.applications.identity_clashes",
)

BLUEPRINTS = (
    "portal.public.views",
    "portal.accounts.views",
    "portal.accounts.second_factor_views",
    "portal.identity.views",
    "portal.accounts.staff_views",
    "portal.letters.views",
    "portal.applications.intake_views",
    "portal.applications.candidate_views",
    "portal.audit_views",
    "portal.invitations.views",
    "portal.invitations.admin_views",
    "portal.letters.run_views",
    "portal.applications.review_views",
)


class BoundedInt(IntegerConverter):
    """`<int:...>` that fits a database integer: a larger number is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    from importlib import import_module

    settings = config_module.load(config)
    app = Flask(__name__, instance_path=settings["INSTANCE_PATH"])
    app.config.from_mapping(settings)
    app.request_class = textclean.CleanRequest
    app.url_map.converters["int"] = BoundedInt
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    config_module.private_dir(Path(app.instance_path))
    # Files the portal writes (SQLite database, mails, letter batches) are its own only.
    os.umask(0o077)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    for module in MODEL_MODULES:
        import_module(module)

    from portal import i18n, security

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    _init_login(app)
    i18n.register(app)
    security.register(app)

    for name in BLUEPRINTS:
        app.register_blueprint(import_module(name).bp)

    from portal import errors, templating

    errors.register(app)
    templating.register(app)

    from portal import cli

    cli.register(app)
    return app


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from portal.accounts import sessions

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_key: str):
        return sessions.load(session_key)
