"""The mail outbox: an e-mail the mail server refused or could not take is kept here and
sent again by `flask --app portal mail retry` (cron, every few minutes) until it goes.

A queued row holds the whole message (its links carry tokens); once sent, the message
itself is cleared and only recipient, subject and times stay, for the retention schedule.
"""
from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email import policy
from email.parser import BytesParser

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import Index, LargeBinary, String, Text, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models import UTCDateTime, utcnow

log = logging.getLogger(__name__)
# Waits between attempts grow from one minute to at most an hour; a message is never dropped.
MAX_WAIT = timedelta(hours=1)


class OutboxMail(db.Model):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=1)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def _wait(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** min(attempts - 1, 10)), MAX_WAIT)


def queue(message, error: BaseException) -> None:
    """Keep a message that could not be delivered. Written in a transaction of its own:
    the request's work is already committed, and a later rollback must not lose it."""
    now = utcnow()
    with db.engine.begin() as conn:
        conn.execute(insert(OutboxMail), [{
            "recipient": str(message["To"]), "subject": str(message["Subject"])[:300],
            "message": message.as_bytes(), "created_at": now, "attempts": 1,
            "last_error": type(error).__name__, "next_attempt_at": now + _wait(1),
        }])
    log.warning("mail to %s queued for retry: %s", message["To"], type(error).__name__)


def retry(now: datetime | None = None, limit: int = 500) -> tuple[int, int]:
    """Send the queued messages that are due. Returns (sent, still queued). Each message
    is locked while it is sent (PostgreSQL: SKIP LOCKED), so two runs never send it twice."""
    from portal import mail

    now = now or utcnow()
    url = current_app.config.get("MAIL_URL")
    parser = BytesParser(policy=policy.SMTP)
    sent = 0
    ids = db.session.scalars(select(OutboxMail.id).where(
        OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.id).limit(limit)).all()
    db.session.rollback()
    for id_ in ids:
        row = db.session.scalar(select(OutboxMail).where(
            OutboxMail.id == id_, OutboxMail.sent_at.is_(None))
            .with_for_update(skip_locked=True))
        if row is None:
            db.session.rollback()
            continue
        message = parser.parsebytes(row.message)
        try:
            if url:
                mail._send_smtp(mail.parse_mail_url(url), message)
            else:
                mail._write_file(message)
        except (OSError, smtplib.SMTPException) as exc:
            row.attempts += 1
            row.last_error = type(exc).__name__
            row.next_attempt_at = utcnow() + _wait(row.attempts)
        else:
            row.sent_at = utcnow()
            row.message = None
            sent += 1
        db.session.commit()
    waiting = db.session.scalar(select(db.func.count(OutboxMail.id)).where(
        OutboxMail.sent_at.is_(None))) or 0
    return sent, waiting


mail_cli = AppGroup("mail", help="Outgoing e-mail.")


@mail_cli.command("retry")
@click.option("--all", "everything", is_flag=True,
              help="Try every queued message now, not only those whose wait is over.")
def retry_command(everything: bool):
    """Send again the e-mails the mail server could not take."""
    sent, waiting = retry(now=utcnow() + MAX_WAIT * 10 if everything else None)
    click.echo(f"sent {sent}; {waiting} still queued")


def init_app(app) -> None:
    app.cli.add_command(mail_cli)
