"""The letter engine (render, archive, runs, print batches) and its pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.letters import cli, models, run_views, views  # noqa: F401 (models: tables)
from portal.navigation import StaffTask, add_staff_task
from portal.security import Role


def init_app(app) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(run_views.bp)
    cli.register(app)
    add_staff_task(app, StaffTask(
        "letter_runs.list_runs", _l("Letter runs"),
        _l("Print and archive the invitation letters of a cohort, and follow the runs."),
        (Role.ADMIN,), order=30))
