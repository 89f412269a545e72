"""`flask --app portal mail retry` (cron, every few minutes): sends again the e-mails the
mail server could not take, which portal.mail kept in the outbox (OutboxMail), until
they go. Once sent, a message's text (its links carry tokens) is cleared; recipient,
subject and times stay for the retention schedule."""
from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from email import policy
from email.parser import BytesParser

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from portal import mail
from portal.extensions import db
from portal.mail import MAX_WAIT, OutboxMail, wait_before
from portal.models import utcnow

log = logging.getLogger(__name__)


def retry(now: datetime | None = None, limit: int = 500) -> tuple[int, int]:
    """Send the queued messages that are due. Returns (sent, still queued). Each message
    is locked while it is sent (PostgreSQL: SKIP LOCKED), so two runs never send it twice."""
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
            row.next_attempt_at = utcnow() + wait_before(row.attempts)
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
