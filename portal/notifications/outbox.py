"""Notifications from the outbox: written in the transaction of the move they tell about,
handed to the platform's after-commit delivery (portal.outbox: on the job queue when there
is one), retried on failure.

A move that rolls back leaves no notification and sends nothing; a mail or SMS outage
leaves the notification pending, tried again by the queue's retries and by
`flask notifications send-pending`.
"""
from __future__ import annotations

import logging
import smtplib
from datetime import date, timedelta

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import i18n, mail
from portal import outbox as platform_outbox
from portal.accounts.models import User
from portal.applications import correspondence
from portal.applications.models import Application, Convocation, Status
from portal.extensions import db
from portal.models import utcnow
from portal.notifications import sms
from portal.notifications.messages import BY_KIND, NOTIFICATIONS, message
from portal.notifications.models import Notification, SmsChoice

log = logging.getLogger(__name__)


# --- writing: inside the transaction -----------------------------------------------------

def on_application_moved(application, *, event, action, actor=None, **_kw) -> None:
    """Receiver of applications.signals.application_moved: the move's message, when the
    table (messages.EVENTS) has this module send it."""
    entry = message("application", action)
    if entry is None or entry.sent_by != NOTIFICATIONS:
        return
    if actor is None and entry.portal_move_told_by:
        return  # the module that made the move tells why
    add(application, entry.kind, key=f"event-{event.id}")


def on_convocation_changed(application, *, key, **_kw) -> None:
    """Receiver of applications.signals.convocation_changed: the selection day moved."""
    add(application, message("application", "convocation_changed").kind, key=key)


def on_security_screening_changed(application, *, stage, key, **_kw) -> None:
    """Receiver of applications.signals.security_screening_changed: it started or is done."""
    add(application, message("application", f"security_screening_{stage}").kind, key=key)


def add(application: Application, kind: str, key: str) -> list[Notification]:
    """Queue `kind` for the candidate by its channels (SMS only if they chose it); once
    per key."""
    channels = ["email"]
    if ("sms" in BY_KIND[kind].channels and sms.enabled()
            and db.session.get(SmsChoice, application.user_id) is not None):
        channels.append("sms")
    added = []
    for channel in channels:
        notification = Notification(user_id=application.user_id, application_id=application.id,
                                    kind=kind, key=key, channel=channel)
        try:
            with db.session.begin_nested():
                db.session.add(notification)
        except IntegrityError:  # told already
            continue
        added.append(notification)
    if added:
        platform_outbox.after_commit(deliver, [n.id for n in added])
    return added


# --- sending: after the commit (portal.outbox hands the ids over) ---------------------

def deliver(ids: list[int]) -> list[int]:
    """Send the pending notifications among `ids`, in a session of their own (the caller's
    has just committed). Returns the ids still pending after a failure."""
    failed = []
    with Session(db.engine, expire_on_commit=False) as session:
        for notification_id in ids:
            notification = session.get(Notification, notification_id)
            if notification is None or notification.state != "pending":
                continue
            try:
                _send(session, notification)
            except mail.MailQueued as exc:
                # Handed over: the mail outbox sends it once the server is back; sending it
                # again from here would make a second copy.
                notification.attempts += 1
                notification.state, notification.sent_at = "sent", utcnow()
                notification.last_error = f"held in the mail outbox: {exc}"[:1000]
            except (OSError, smtplib.SMTPException, sms.SmsError) as exc:
                notification.attempts += 1
                notification.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                if notification.attempts >= current_app.config["NOTIFY_MAX_ATTEMPTS"]:
                    notification.state = "failed"
                else:
                    failed.append(notification.id)
                log.warning("notification %s (%s) not sent: %s", notification.id,
                            notification.kind, notification.last_error)
            else:
                notification.attempts += 1
                notification.state, notification.sent_at = "sent", utcnow()
                notification.last_error = None
            session.commit()
    return failed


def send_pending() -> tuple[int, int]:
    """Try every pending notification again: (sent, still pending)."""
    ids = list(db.session.scalars(db.select(Notification.id).where(
        Notification.state == "pending").order_by(Notification.id)))
    db.session.commit()
    still = deliver(ids)
    return len(ids) - len(still), len(still)


def _context(session, notification: Notification) -> dict:
    application = session.get(Application, notification.application_id)
    convocation = session.scalar(db.select(Convocation).where(
        Convocation.application_id == application.id))
    entry = BY_KIND[notification.kind]
    day = convocation.selection_day.day if convocation else None
    deadline = application.offer_deadline
    lines = entry.render(
        reference=application.reference, intake=application.intake.title,
        date=deadline if notification.kind in OFFER_KINDS else day,
        place=convocation.selection_day.place if convocation else None)
    # A move whose letter has no deliverable postal address: the letter is only online.
    if notification.kind in LETTER_KINDS and not correspondence.has_postal_address(
            application, session):
        lines = (*lines, NOT_BY_POST)
    return {
        "kind": notification.kind,
        # Only the first name: nothing else personal in a message.
        "first_name": application.first_name,
        "lines": lines,
        "action": entry.link_label,
        "deadline": deadline,
        "link": mail.external_url("applications.status", application_id=application.id),
        "language": application.language,
    }


OFFER_KINDS = ("offer", "offer_reminder")
# Moves that issue a letter (acknowledgement, convocation, decision).
LETTER_KINDS = ("submitted", "convocation", "convocation_changed", "offer", "waitlisted",
                "rejected")
NOT_BY_POST = _l("We have no complete postal address of yours, so this letter does not come "
                 "by post: read it on the page of your application.")


def _send(session, notification: Notification) -> None:
    user = session.get(User, notification.user_id)
    context = _context(session, notification)
    language = (i18n.valid(context.pop("language")) or i18n.valid(user.language)
                or i18n.DEFAULT)
    subject = BY_KIND[notification.kind].subject
    if notification.channel == "email":
        mail.send(user.email, "notification", language, subject, **context)
        return
    choice = session.get(SmsChoice, user.id)
    if choice is None:
        notification.state = "cancelled"
        return
    with i18n.locale(language):
        text = render_template("notifications/sms.txt", subject=str(subject), language=language,
                               **context)
    sms.gateway().send(choice.phone, text.strip())


# --- reminders ---------------------------------------------------------------------------

def remind_offers(today: date) -> int:
    """Queue a reminder for each unanswered offer whose deadline is OFFER_REMINDER_DAYS away
    or closer (once per offer); the caller commits."""
    horizon = today + timedelta(days=current_app.config["OFFER_REMINDER_DAYS"])
    offers = db.session.scalars(db.select(Application).where(
        Application.status == Status.SELECTED, Application.offer_deadline.is_not(None),
        Application.offer_deadline >= today, Application.offer_deadline <= horizon))
    count = 0
    for application in offers:
        count += len(add(application, message("application", "offer_reminder").kind,
                         key=f"deadline-{application.offer_deadline.isoformat()}"))
    return count
