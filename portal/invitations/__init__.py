"""Cohorts, register-extract imports, invitation codes and the /start page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import demo as demo_seeds
from portal.invitations import admin_views, cli, demo, models, views  # noqa: F401 (models: tables)
from portal.navigation import StaffTask, add_staff_task
from portal.security import Role


def init_app(app) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    cli.register(app)
    demo_seeds.add_seed(app, demo.seed_cohort, order=30)
    add_staff_task(app, StaffTask(
        "cohorts.index", _l("Cohorts"),
        _l("Create cohorts, import National Register extracts, follow sign-ups."),
        (Role.ADMIN,), order=50))
