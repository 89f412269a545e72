"""Cohorts, register-extract imports, invitation codes and letters, the /start page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import demo as demo_seeds
from portal.invitations import admin_views, cli, demo, models, views  # noqa: F401 (models: tables)
from portal.invitations import privacy as invitations_privacy
from portal.invitations.letters import REMINDER, SOURCE
from portal.letters import kinds as letter_kinds
from portal.letters import runs
from portal.navigation import StaffTask, add_staff_task
from portal.security import Role

# The letters this domain sends (their templates in templates/letters/).
LETTER_KINDS = (
    letter_kinds.Kind.of(
        __file__, "invitation",
        _l("Invitation — Service Year"),
        prefix="INV"),
    letter_kinds.Kind.of(
        __file__, "invitation_reminder",
        _l("Reminder of your invitation — Service Year"),
        prefix="INV"),
)


def init_app(app) -> None:
    app.register_blueprint(views.bp)
    letter_kinds.declare(*LETTER_KINDS)
    app.register_blueprint(admin_views.bp)
    cli.register(app)
    runs.register_source(app, SOURCE)  # the cohort's invitation letters, in letter runs
    runs.register_source(app, REMINDER)  # and the one reminder to those who did not answer
    demo_seeds.add_seed(app, demo.seed_cohort, order=30)
    add_staff_task(app, StaffTask(
        "cohorts.index", _l("Cohorts"),
        _l("Create cohorts, import National Register extracts, follow sign-ups."),
        (Role.ADMIN,), order=50))
    invitations_privacy.init_app(app)  # its share of export, erasure and retention
