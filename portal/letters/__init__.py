"""The letter engine (render, archive, runs, print batches) and its pages."""
from __future__ import annotations

import logging

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import ChoiceLoader

from portal.domains import Domain
from portal.extensions import db
from portal.letters import (  # noqa: F401 (models: tables)
    cli,
    kinds,
    limits,
    models,
    run_views,
    services,
    views,
)
from portal.letters import privacy as letters_privacy
from portal.navigation import StaffTask
from portal.security import Role


def _setup(app) -> None:
    # The letter kinds' templates, kept with the domains that declare them (kinds.Loader).
    app.jinja_loader = ChoiceLoader([app.jinja_loader, kinds.Loader()])


def _queue_worker_ready() -> None:
    """A worker of its own: its letters may be capped in memory (render limits), and the
    boxes a submit measures a name against are laid out before any submit needs them (once
    per version of the letter frame; kept in the instance folder)."""
    limits.mark_dedicated()
    services.prepare_slot_boxes()


def _render_stopped(exc: limits.RenderLimitExceeded):
    """A letter rendered on request passed its limits: nothing of the request is kept, and
    the user reads why (views that catch Refusal show the same message in place)."""
    logging.getLogger(__name__).warning("letter rendering stopped: %s", exc)
    db.session.rollback()
    return render_template("errors/error.html", title=_("The letter could not be made"),
                           message=exc.message), 422


DOMAIN = Domain(
    "letters",
    blueprints=(views.bp, run_views.bp),
    cli=(cli.letters,),
    privacy_parts=(letters_privacy.PART,),  # its share of export, erasure and retention
    staff_tasks=(StaffTask(
        "letter_runs.list_runs", _l("Letter runs"),
        _l("Print and archive the invitation letters of a cohort, and follow the runs."),
        (Role.ADMIN,), order=30),),
    error_handlers={limits.RenderLimitExceeded: _render_stopped},
    # A queue worker of its own (`flask jobs worker`) gets ready for letters before its
    # first job.
    queue_worker_ready=(_queue_worker_ready,),
    setup=_setup,
)
