"""Cohorts, register-extract imports, invitation codes and letters, the /start page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.domains import Domain
from portal.invitations import admin_views, cli, demo, models, views  # noqa: F401 (models: tables)
from portal.invitations import privacy as invitations_privacy
from portal.invitations.letters import REMINDER, SOURCE
from portal.letters import kinds as letter_kinds
from portal.navigation import StaffTask
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


DOMAIN = Domain(
    "invitations",
    blueprints=(views.bp, admin_views.bp),
    cli=(cli.invitations_cli,),
    privacy_parts=(invitations_privacy.PART,),  # its share of export, erasure and retention
    demo_seeds=((30, demo.seed_cohort),),
    staff_tasks=(StaffTask(
        "cohorts.index", _l("Cohorts"),
        _l("Create cohorts, import National Register extracts, follow sign-ups."),
        (Role.ADMIN,), order=50),),
    letter_kinds=LETTER_KINDS,
    # The cohort's invitation letters, in letter runs, and the one reminder to those who did
    # not answer.
    run_sources=(SOURCE, REMINDER),
)
