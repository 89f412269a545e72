"""Small helpers the employers' views share: a refusal onto its form, commit then e-mail."""
from __future__ import annotations

from flask import flash
from flask_babel import gettext as _

from portal import outbox
from portal.extensions import db
from portal.refusals import Refusal


def show_refusal(form, refusal: Refusal) -> None:
    """Put the refusal's message next to its field, or on top of the page."""
    db.session.rollback()
    if form is not None and refusal.field and refusal.field in form:
        form[refusal.field].errors = [*form[refusal.field].errors, refusal.message]
    else:
        flash(refusal.message, "error")


def commit_and_send() -> None:
    """Commit the request's work once; the e-mails it queued go out after the commit."""
    db.session.commit()
    if outbox.delayed():
        flash(_("We could not send the e-mail just now. Try again in a few minutes."), "error")
