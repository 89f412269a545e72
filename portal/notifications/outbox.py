"""Notifications through the platform's delivery path: written in the transaction of the
move they tell about, each with its delivery (portal.outbox) made and sent after the commit.

A move that rolls back leaves no notification and sends nothing; a mail or SMS outage
leaves the delivery waiting, tried again by the queue's retries and by
`flask deliveries sweep`.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from portal import i18n, mail, sms
from portal import outbox as platform_outbox
from portal.accounts.models import User
from portal.applications import correspondence
from portal.applications.models import Application, Convocation, Status
from portal.extensions import db
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
    email = db.session.get(User, application.user_id).email
    for channel in channels:
        notification = Notification(user_id=application.user_id, application_id=application.id,
                                    kind=kind, key=key, channel=channel)
        try:
            with db.session.begin_nested():
                db.session.add(notification)
        except IntegrityError:  # told already
            continue
        added.append(notification)
        platform_outbox.made_later(channel, make, kind=kind, user_id=application.user_id,
                                   recipient=email if channel == "email" else "",
                                   params={"notification_id": notification.id})
    return added


# --- making the message: after the commit (portal.outbox delivers it) -------------------

def make(row):
    """The maker of a notification's delivery: the e-mail, or (phone, text) of the text
    message; None when there is nothing left to tell (erased, or SMS no longer chosen)."""
    notification = db.session.get(Notification, platform_outbox.params(row)["notification_id"])
    if notification is None or notification.application_id is None:
        return None
    user = db.session.get(User, notification.user_id)
    context = _context(db.session, notification)
    language = (i18n.valid(context.pop("language")) or i18n.valid(user.language)
                or i18n.DEFAULT)
    subject = BY_KIND[notification.kind].subject
    if notification.channel == "email":
        return mail.build(user.email, "notification", language, subject, **context)
    choice = db.session.get(SmsChoice, user.id)
    if choice is None:
        return None
    with i18n.locale(language):
        text = render_template("notifications/sms.txt", subject=str(subject), language=language,
                               **context)
    return choice.phone, text.strip()


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
