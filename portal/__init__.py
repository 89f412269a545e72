"""Dienstjaar portal: the app factory."""
from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config as config_module
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
    "portal.reserve.models",
)

BLUEPRINTS = (
    "portal.public.views",
    "portal.accounts.views",
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


def create_app(config: dict | None = None) -> Flask:
    from importlib import import_module

    app = Flask(__name__, instance_path=str(config_module.INSTANCE))
    app.config.from_mapping(config_module.load(config))
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    config_module.INSTANCE.mkdir(exist_ok=True)
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

    from portal import reserve

    reserve.init_app(app)
    return app


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from portal.accounts.models import User

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_token: str):
        return db.session.scalar(db.select(User).where(User.session_token == session_token))
