"""Dienstjaar portal: the app factory."""
from __future__ import annotations

import logging
import os
from importlib import import_module
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal import config as config_module
from portal import domains, errors, i18n, numbers, security, templating, textclean
from portal.extensions import babel, csrf, db, limiter, login_manager, migrate

# Pieces every domain relies on, each with init_app(app): bulk jobs (and the Job table),
# `flask demo seed`, the audit log's pages (and the AuditEvent table), the mail outbox, access
# logs without bearer secrets.
PLATFORM = ("portal.jobs", "portal.demo", "portal.audit_views", "portal.outbox",
            "portal.accesslog")

# The domains. Each is a package that imports its models and declares what it brings (its
# blueprints, CLI commands, letter kinds, privacy part, signal handlers, demo seeds, staff
# tasks...) as `DOMAIN = portal.domains.Domain(...)`; `domains.register` registers it.
# Adding a domain: create its package and name it here (the accounts first: the others
# build on them).
DOMAINS = (
    "portal.public",
    "portal.accounts",
    "portal.invitations",
    "portal.letters",
    "portal.applications",
    "portal.identity",
    "portal.privacy",
    "portal.notifications",
    "portal.reserve",
    "portal.employers",
)


class BoundedInt(IntegerConverter):
    """`<int:...>` that fits a database integer: a larger number is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):  # werkzeug's name
        kwargs.setdefault("max", numbers.DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
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

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.register(app)
    security.register(app)
    errors.register(app)
    templating.register(app)

    # By name, not imported at the top: the domains import portal's modules; names keep
    # that one-way.
    for name in PLATFORM:
        import_module(name).init_app(app)
    for name in DOMAINS:
        domains.register(app, import_module(name).DOMAIN)
    # How a domain starts the processes it spawns (letter runs, statements): by this entry
    # point, read from the app, so that no module below the factory imports it.
    app.extensions["start_worker"] = start_worker
    return app


def start_worker(config: dict, setup=None, *args) -> None:
    """The entry point of a spawned worker process: the app built once for the process
    from the parent's settings, its context pushed, then the spawning engine's own
    `setup(app, *args)` (a module-level function, named by reference to the child)."""
    app = create_app(config)
    app.app_context().push()
    if setup is not None:
        setup(app, *args)
