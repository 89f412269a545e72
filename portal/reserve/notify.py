"""E-mails of the Reserve, sent only once the transaction that caused them has committed.

A service queues a notice with `later(...)`; the texts are lazy strings, rendered in the
recipient's language when the e-mail is built. A rollback drops the queued notices.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal import mail

log = logging.getLogger(__name__)
_KEY = "reserve_notices"


@dataclass(frozen=True)
class Notice:
    to: str
    language: str
    name: str
    subject: object  # lazy string
    lines: tuple = ()  # lazy strings, one paragraph each
    link: str | None = None
    link_label: object | None = None
    extra: dict = field(default_factory=dict)


def later(session: Session, user, subject, *lines, endpoint: str | None = None,
          link_label=None, **values) -> None:
    """Queue an e-mail to `user` for after the commit; `endpoint`/`values` build its link."""
    link = mail.external_url(endpoint, **values) if endpoint else None
    notice = Notice(to=user.email, language=user.language,
                    name=user.first_name or user.email, subject=subject, lines=tuple(lines),
                    link=link, link_label=link_label)
    session.info.setdefault(_KEY, []).append((current_app._get_current_object(), notice))


def send(notice: Notice) -> None:
    mail.send(notice.to, "reserve_notice", notice.language, notice.subject, name=notice.name,
              lines=notice.lines, link=notice.link, link_label=notice.link_label)


@event.listens_for(Session, "after_commit")
def _deliver(session: Session) -> None:
    for app, notice in session.info.pop(_KEY, []):
        with app.app_context():
            try:
                send(notice)
            except Exception:  # a mail server down must not undo what was committed
                log.exception("reserve e-mail to %s could not be sent", notice.to)


@event.listens_for(Session, "after_rollback")
def _drop(session: Session) -> None:
    session.info.pop(_KEY, None)
