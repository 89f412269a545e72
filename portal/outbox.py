"""The mail outbox of every domain: e-mails sent once the transaction that caused them
commits, and `flask --app portal mail retry` (cron, every few minutes) for those the mail
server could not take.

`later(...)` builds an e-mail and writes it to the outbox (OutboxMail) in the caller's
transaction: a rollback leaves nothing to send, and a commit leaves it stored before any
response goes out. After the commit it goes through the job queue when there is one, else
right away in this process (after the response, for a page whose speed must not tell
anything); whatever fails or is lost on the way (mail server down, a process killed) stays
in the outbox and `mail retry` sends it, exactly once. Stored messages are sealed
(Fernet, OUTBOX_KEYS): a database dump shows no link that signs anyone in.
`after_commit(fn, ids)` is the same hand-over for a domain's own deliveries
(notifications). Once sent, a message's text (its links carry tokens) is cleared;
recipient, subject and times stay for the retention schedule.
"""
from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from email import policy
from email.parser import BytesParser
from importlib import import_module

import click
from flask import after_this_request, current_app, has_request_context
from flask.cli import AppGroup
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal import jobs, mail
from portal.extensions import db
from portal.mail import MAX_WAIT, OutboxMail, wait_before
from portal.models import utcnow

log = logging.getLogger(__name__)
_PENDING = "outbox.after_commit"
_DELAYED = "outbox.delayed"
# A message handed over after the commit is left to that delivery for this long before
# `mail retry` takes it too (it is locked while sent, so never twice at once).
GRACE = timedelta(minutes=2)
RQ_RETRY_INTERVALS = (30, 300, 1800)  # seconds between the queue's tries


# --- queueing, in the caller's transaction ------------------------------------------------

def later(to: str, template: str, language: str, subject, *, after_response: bool = False,
          attachments: tuple[mail.Attachment, ...] = (), stand_in: bool = False,
          **context) -> None:
    """Send this e-mail once the current transaction commits (see the module's text).
    `after_response`: in a web request, send it only once the response has gone out;
    `attachments`: files sent with it (mail.Attachment).
    `stand_in`: build, seal, store and hand it over like any other, but never send it
    (its row has no recipient and is deleted when its turn comes): a page whose speed must
    not tell whether an address has an account does the same work either way."""
    message = mail.build(to, template, language, subject, attachments=attachments,
                         **context)
    row = OutboxMail(recipient="" if stand_in else to, subject=str(message["Subject"])[:300],
                     message=mail.seal(message), created_at=utcnow(), attempts=0,
                     last_error="", next_attempt_at=utcnow() + GRACE)
    db.session.add(row)
    db.session.flush()
    after_commit(send_queued, [row.id], after_response=after_response)


def after_commit(deliver: Callable[[list[int]], list[int]], ids: list[int], *,
                 after_response: bool = False) -> None:
    """Call `deliver(ids)` once the current transaction commits: as a job on the queue
    (retried there while it returns ids still to do) when there is one, else here. A
    rollback forgets it. `deliver` is a module-level function (the queue names it)."""
    pending = db.session.info.setdefault(_PENDING, [])
    pending.append((deliver, list(ids), after_response))


def discard() -> None:
    """Send nothing of what this transaction queued so far (demo data, test set-up)."""
    for deliver, ids, _after in db.session.info.pop(_PENDING, []):
        if deliver is send_queued:
            db.session.execute(db.delete(OutboxMail).where(OutboxMail.id.in_(ids)))


def delayed() -> bool:
    """Whether an e-mail of the last commit could not go out at once (it waits in the
    outbox); forgets it. Views may tell the user that it is delayed."""
    return bool(db.session.info.pop(_DELAYED, False))


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: the transaction goes on
        return
    work = session.info.pop(_PENDING, None)
    if not work:
        return
    app = current_app._get_current_object()
    for deliver, ids, after_response in work:
        if _enqueued(app, deliver, ids):
            continue
        if after_response and has_request_context():
            _after_response(app, deliver, ids)
        elif _deliver_here(deliver, ids) and deliver is send_queued:
            session.info[_DELAYED] = True


def _after_rollback(session: Session, previous) -> None:
    if not previous.nested:  # a savepoint rolled back: the transaction goes on
        session.info.pop(_PENDING, None)


def _enqueued(app, deliver, ids) -> bool:
    if not jobs.use_rq(app):
        return False
    from redis.exceptions import RedisError  # only with REDIS_URL (see jobs)
    from rq import Retry  # idem

    try:
        jobs.queue(app).enqueue(rq_deliver, f"{deliver.__module__}:{deliver.__name__}",
                                ids, retry=Retry(max=len(RQ_RETRY_INTERVALS),
                                                 interval=list(RQ_RETRY_INTERVALS)))
        return True
    except RedisError as exc:  # no queue now: deliver here; what fails waits for retries
        log.warning("job queue unreachable (%s): delivering here", type(exc).__name__)
        return False


def _deliver_here(deliver, ids) -> list[int]:
    try:
        return deliver(ids)
    except Exception:  # committed already; the outbox (or the domain's own) retries
        log.exception("delivery after the commit failed: %s", ids)
        return list(ids)


# A server may close a response late (Werkzeug's drains a kept-alive connection first):
# past this many seconds the delivery goes from a thread of its own, whichever comes first.
AFTER_RESPONSE_AT_LATEST = 2.0


def _after_response(app, deliver, ids) -> None:
    lock, done = threading.Lock(), []

    def run() -> None:
        with lock:
            if done:
                return
            done.append(True)
            with app.app_context():
                _deliver_here(deliver, ids)

    @after_this_request
    def attach(response):
        response.call_on_close(run)
        timer = threading.Timer(AFTER_RESPONSE_AT_LATEST, run)
        timer.daemon = True
        timer.start()
        return response


def rq_deliver(name: str, ids: list[int]) -> None:
    """A delivery as an RQ job: raising makes the queue try again later."""
    module, _sep, function = name.partition(":")
    if not name.startswith("portal."):
        raise ValueError(f"not a portal delivery: {name}")
    left = getattr(import_module(module), function)(ids)
    if left:
        raise RuntimeError(f"not delivered yet: {left}")


def listen() -> None:
    """Hand over what a transaction queued once it commits (idempotent)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)


# --- sending -------------------------------------------------------------------------------

def send_queued(ids: list[int]) -> list[int]:
    """Send the outbox messages among `ids` that are not sent yet, each locked while it is
    sent (PostgreSQL: SKIP LOCKED), in a session of its own. Returns those still queued."""
    left = []
    with Session(db.engine, expire_on_commit=False) as session:
        for id_ in ids:
            if not _attempt(session, id_):
                left.append(id_)
    return left


def _attempt(session: Session, id_: int) -> bool:
    """One try at one message; False when it is still queued (and why is kept)."""
    row = session.scalar(select(OutboxMail).where(
        OutboxMail.id == id_, OutboxMail.sent_at.is_(None)).with_for_update(skip_locked=True))
    if row is None:  # sent already, or being sent by someone else right now
        session.rollback()
        return True
    if not row.recipient:  # a stand-in (see later()): nothing to send, nothing to keep
        session.delete(row)
        session.commit()
        return True
    message = BytesParser(policy=policy.SMTP).parsebytes(mail.unseal(row.message))
    url = current_app.config.get("MAIL_URL")
    try:
        if url:
            mail._send_smtp(mail.parse_mail_url(url), message)
        else:
            mail._write_file(message)
    except (OSError, smtplib.SMTPException) as exc:
        row.attempts += 1
        row.last_error = type(exc).__name__
        row.next_attempt_at = utcnow() + wait_before(row.attempts)
        session.commit()
        log.warning("mail to %s queued for retry: %s", row.recipient, row.last_error)
        return False
    row.attempts += 1
    row.sent_at = utcnow()
    row.message = None
    session.commit()
    log.info("mail sent to %s: %s", row.recipient, row.subject)
    return True


def retry(now: datetime | None = None, limit: int = 500) -> tuple[int, int]:
    """Send the queued messages that are due. Returns (sent, still queued)."""
    now = now or utcnow()
    ids = db.session.scalars(select(OutboxMail.id).where(
        OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.id).limit(limit)).all()
    db.session.rollback()
    left = send_queued(ids)
    waiting = db.session.scalar(select(db.func.count(OutboxMail.id)).where(
        OutboxMail.sent_at.is_(None))) or 0
    db.session.rollback()
    return len(ids) - len(left), waiting


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
    listen()
