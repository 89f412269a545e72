"""What the employers' views share: commit, then e-mail."""
from __future__ import annotations

from flask import flash
from flask_babel import gettext as _

from portal import outbox
from portal.extensions import db


def commit_and_send() -> None:
    """Commit the request's work once; the e-mails it queued go out after the commit."""
    db.session.commit()
    if outbox.delayed():
        flash(_("We could not send the e-mail just now. Try again in a few minutes."), "error")
