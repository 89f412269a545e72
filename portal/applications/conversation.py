"""Messages between a candidate and the recruitment team, kept with the application.

The candidate writes from the page of their application; staff answer from the queue of
threads waiting for an answer (a thread waits while its last message is the
candidate's). The candidate gets an e-mail when staff answer, after the commit.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from portal import audit, mail, outbox
from portal.accounts.models import User
from portal.applications.models import Application, ApplicationMessage
from portal.extensions import db
from portal.models import utcnow
from portal.refusals import Refusal

BODY_MIN, BODY_MAX = 2, 4000
EMAIL_SUBJECT = _l("The recruitment team answered your message")


class MessageError(Refusal):
    """A message the rules refuse; `message` is for the writer."""


def thread(application: Application) -> list[ApplicationMessage]:
    return list(db.session.scalars(
        db.select(ApplicationMessage).where(ApplicationMessage.application_id == application.id)
        .order_by(ApplicationMessage.created_at, ApplicationMessage.id)))


def _checked(body: str) -> str:
    body = (body or "").strip()
    if len(body) < BODY_MIN:
        raise MessageError(_("Write your message."), field="body")
    if len(body) > BODY_MAX:
        raise MessageError(_("Keep your message under %(num)d characters.", num=BODY_MAX),
                           field="body")
    return body


def write(application: Application, body: str, actor) -> ApplicationMessage:
    """The candidate's message to the recruitment team; flushes, the caller commits."""
    message = ApplicationMessage(application_id=application.id, author_id=actor.id,
                                 from_staff=False, body=_checked(body), created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    audit.record(actor, "application_message.written", message, application_id=application.id)
    return message


def answer(application: Application, body: str, actor) -> ApplicationMessage:
    """A staff member's answer in the thread; the candidate gets an e-mail after the
    commit. Flushes."""
    message = ApplicationMessage(application_id=application.id, author_id=actor.id,
                                 from_staff=True, body=_checked(body), created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    audit.record(actor, "application_message.answered", message, application_id=application.id)
    user = db.session.get(User, application.user_id)
    outbox.later(user.email, "application_update", application.language, EMAIL_SUBJECT,
                 kind="message_answered", first_name=application.first_name,
                 reference=application.reference,
                 link=mail.external_url("applications.status", application_id=application.id,
                                        _anchor="messages"))
    return message


def last_ids():
    """The last message of each thread."""
    return (db.select(ApplicationMessage.application_id,
                      func.max(ApplicationMessage.id).label("last_id"))
            .group_by(ApplicationMessage.application_id).subquery())


def waiting_count(intake_id: int | None = None) -> int:
    last = last_ids()
    query = (db.select(func.count()).select_from(ApplicationMessage)
             .join(last, last.c.last_id == ApplicationMessage.id)
             .where(ApplicationMessage.from_staff.is_(False)))
    if intake_id is not None:
        query = query.join(Application, Application.id == ApplicationMessage.application_id) \
            .where(Application.intake_id == intake_id)
    return db.session.scalar(query) or 0
