"""E-mails of the employers domain, sent only once the transaction that caused them commits.

Services and signal handlers queue() messages on the session; they go out right after the
commit (whoever commits: our views, another domain's view whose move we follow, a command).
A rollback forgets them. A mail outage never undoes what was committed: the failure is
logged and `failed()` tells the view so that it can say so.
"""
from __future__ import annotations

import logging
import smtplib

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal import mail
from portal.extensions import db

log = logging.getLogger(__name__)
KEY = "employers.outbox"
FAILED = "employers.outbox_failed"


def queue(to: str, template: str, language: str, subject, **context) -> None:
    db.session.info.setdefault(KEY, []).append(
        (current_app._get_current_object(), (to, template, language, subject, context)))


def pending() -> list:
    return [message for _app, message in db.session.info.get(KEY, [])]


def failed() -> bool:
    """Whether an e-mail of the last commit could not be sent (and forget it)."""
    return bool(db.session.info.pop(FAILED, False))


@event.listens_for(Session, "after_commit")
def _deliver(session: Session) -> None:
    for app, (to, template, language, subject, context) in session.info.pop(KEY, []):
        with app.app_context():
            try:
                mail.send(to, template, language, subject, **context)
            except (OSError, smtplib.SMTPException):
                log.exception("could not send e-mail")
                session.info[FAILED] = True


@event.listens_for(Session, "after_soft_rollback")
def _forget(session, previous_transaction):
    if not previous_transaction.nested:  # a savepoint's rollback keeps the outer work
        session.info.pop(KEY, None)
