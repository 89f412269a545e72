"""The one delivery path of every domain: e-mails, text messages and letters decided in a
transaction are written to the `deliveries` table in that transaction and delivered once it
commits; `flask deliveries sweep` (cron, every few minutes) tries again what failed or was
lost on the way.

A rollback leaves nothing to deliver, and a commit leaves every delivery stored before any
response goes out. After the commit the ids go to the job queue when there is one, else
they are delivered here (after the response, for a page whose speed must not tell
anything); whatever fails (mail server or SMS gateway down, a process killed) waits with
its reason and is tried again by the queue's retries and the sweeper, exactly once (a row
is locked while it is delivered). An e-mail is made after the commit from its template and
its values (`later`); a text message or a letter by its domain's maker (`made_later`).
What is stored to make an e-mail is sealed (Fernet, OUTBOX_KEYS): a database dump shows no
link that signs anyone in; once sent, it is cleared and recipient, subject and times stay
for the retention schedule. A letter's row is deleted once the letter is issued.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from enum import Enum
from importlib import import_module

import click
from flask import after_this_request, current_app, has_request_context
from flask.cli import AppGroup
from flask_babel.speaklater import LazyString
from markupsafe import Markup
from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import jobs, mail, sms
from portal.extensions import db
from portal.mail import MAX_WAIT, MailQueued, wait_before
from portal.models import UTCDateTime, utcnow
from portal.refusals import Refusal

log = logging.getLogger(__name__)
_PENDING = "outbox.after_commit"
_DELAYED = "outbox.delayed"
# A delivery handed over after the commit is left to that hand-over for this long before
# the sweeper takes it too (it is locked while delivered, so never twice at once).
GRACE = timedelta(minutes=2)
RQ_RETRY_INTERVALS = (30, 300, 1800)  # seconds between the queue's tries
EMAIL, SMS, LETTER = "email", "sms", "letter"
# Makes an e-mail from its template and values (see later()).
FROM_TEMPLATE = "portal.outbox:from_template"


class Delivery(db.Model):
    """One e-mail, text message or letter to deliver, and where its delivery stands."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "sent_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))  # email | sms | letter
    kind: Mapped[str] = mapped_column(String(40), default="")
    # "portal.<module>:<function>" that makes it from this row after the commit: returns
    # the e-mail, returns (phone, text) of a text message, or issues the letter; None
    # when there is nothing (left) to send. No maker: `message` is the sealed e-mail.
    maker: Mapped[str | None] = mapped_column(String(120))
    # What the maker needs, as JSON (ids and codes, nothing personal).
    params: Mapped[str] = mapped_column(Text, default="{}")
    # Sealed: an e-mail's bytes, or the template and values it is made from.
    message: Mapped[bytes | None] = mapped_column(LargeBinary)
    recipient: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    # A letter's reference, fixed at once so the audit trail and the reader's page can
    # name it before it exists.
    reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Given up for good (a letter refused at render, a text message past its tries).
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# --- queueing, in the caller's transaction ------------------------------------------------

def later(to: str, template: str, language: str, subject, *, after_response: bool = False,
          attachments: tuple[mail.Attachment, ...] = (), stand_in: bool = False,
          **context) -> Delivery:
    """Send this e-mail once the current transaction commits (see the module's text); it
    is made then from `template` and `context` (lazy texts, dates, stored rows).
    `after_response`: in a web request, send it only once the response has gone out;
    `attachments`: files sent with it (mail.Attachment).
    `stand_in`: build, seal, store and hand it over like any other, but never send it
    (its row has no recipient and is deleted when its turn comes): a page whose speed must
    not tell whether an address has an account does the same work either way; such pages
    (after_response) build the message now, for an account or not."""
    row = Delivery(channel=EMAIL, kind=template[:40], recipient="" if stand_in else to,
                   created_at=utcnow(), attempts=0, next_attempt_at=utcnow() + GRACE)
    spec = None
    if not (after_response or stand_in or attachments):
        try:
            spec = json.dumps({"to": to, "template": template, "language": language,
                               "subject": _packed(subject), "context": _packed(context)})
        except TypeError:  # a value that cannot be stored as such: build the message now
            spec = None
    if spec is not None:
        row.maker, row.message = FROM_TEMPLATE, mail.KEYS.encrypt(spec).encode("ascii")
    else:
        message = mail.build(to, template, language, subject, attachments=attachments,
                             **context)
        row.subject, row.message = str(message["Subject"])[:300], mail.seal(message)
    return add(row, after_response=after_response)


def made_later(channel: str, maker: Callable[[Delivery], object], *, kind: str = "",
               params: dict | None = None, **fields) -> Delivery:
    """Deliver what `maker(row)` makes from this row once this transaction commits;
    `maker` is a module-level function of the portal (see Delivery.maker)."""
    name = f"{maker.__module__}:{maker.__name__}"
    if not name.startswith("portal."):
        raise ValueError(f"not a portal function: {name}")
    return add(Delivery(channel=channel, kind=kind[:40], maker=name,
                        params=json.dumps(params or {}), created_at=utcnow(), attempts=0,
                        next_attempt_at=utcnow() + GRACE, **fields))


def params(row: Delivery) -> dict:
    """What the maker of `row` was given (see made_later)."""
    return json.loads(row.params or "{}")


def add(row: Delivery, *, after_response: bool = False) -> Delivery:
    """Store `row` in this transaction and deliver it once that commits (it is written
    with the transaction's other rows, at its next flush)."""
    db.session.add(row)
    db.session.info.setdefault(_PENDING, []).append((row, after_response))
    return row


def send(to: str, template: str, language: str, subject, **context) -> None:
    """An e-mail asked for after the caller's commit: stored and committed at once (that
    commit writes only this e-mail) and handed over like any other. Without a job queue,
    when the mail server cannot take it now MailQueued (an OSError) is raised so the caller
    can tell the user it is delayed; the sweeper sends it later."""
    message = mail.build(to, template, language, subject, **context)
    add(Delivery(channel=EMAIL, kind=template[:40], recipient=to,
                 subject=str(message["Subject"])[:300], message=mail.seal(message),
                 created_at=utcnow(), attempts=0, next_attempt_at=utcnow() + GRACE))
    db.session.commit()
    if delayed():
        raise MailQueued("the mail server could not take it; it waits in the outbox")


def send_to_user(user, template: str, subject, **context) -> None:
    """`send` to a portal user, in the language of their account."""
    send(user.email, template, user.language, subject, user=user, **context)


def discard() -> None:
    """Deliver nothing of what this transaction queued so far (demo data, test set-up)."""
    for row, _after in db.session.info.pop(_PENDING, []):
        if inspect(row).persistent:
            db.session.delete(row)
        elif inspect(row).pending:
            db.session.expunge(row)


def delayed() -> bool:
    """Whether something of the last commit could not go out at once (it waits in the
    outbox); forgets it. Views may tell the user that it is delayed."""
    return bool(db.session.info.pop(_DELAYED, False))


# --- values of an e-mail, stored to build it after the commit -----------------------------

def _packed(value):
    """`value` as JSON-ready data that _unpacked() turns back; TypeError when it cannot."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Markup):  # markup made on purpose: the message is built now
        raise TypeError("markup is not stored")
    if isinstance(value, Enum):
        return {"~": "enum", "c": _name(type(value)), "v": value.value}
    if isinstance(value, str):
        return value
    if isinstance(value, LazyString):
        return {"~": "lazy", "f": _name(value._func), "a": _packed(list(value._args)),
                "k": _packed(value._kwargs)}
    if isinstance(value, datetime):
        return {"~": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"~": "date", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {"~": "decimal", "v": str(value)}
    if type(value) is dict:
        return {"~": "dict", "v": [[key, _packed(item)] for key, item in value.items()]}
    if type(value) in (list, tuple):
        return {"~": type(value).__name__, "v": [_packed(item) for item in value]}
    if isinstance(value, db.Model):
        state = inspect(value)
        # Stored rows are read again after the commit, with what this transaction wrote.
        if state.persistent:
            return {"~": "row", "c": _name(type(value)), "v": list(state.identity)}
        raise TypeError(f"{type(value).__name__} not stored as it is")
    if type(value).__name__ == "LongDate":  # reserve.notify: a date written out
        return {"~": "obj", "c": _name(type(value)), "v": _packed(value.day)}
    raise TypeError(f"cannot store {type(value).__name__}")


class _Gone(LookupError):
    """A row an e-mail was about has been deleted since (erased, purged)."""


def _unpacked(value, session):
    if isinstance(value, list):
        return [_unpacked(item, session) for item in value]
    if not isinstance(value, dict):
        return value
    tag, inner = value["~"], value.get("v")
    if tag == "enum":
        return _named(value["c"])(inner)
    if tag == "lazy":
        return LazyString(_named(value["f"]), *_unpacked(value["a"], session),
                          **_unpacked(value["k"], session))
    if tag == "datetime":
        return datetime.fromisoformat(inner)
    if tag == "date":
        return date.fromisoformat(inner)
    if tag == "decimal":
        return Decimal(inner)
    if tag == "dict":
        return {key: _unpacked(item, session) for key, item in inner}
    if tag in ("list", "tuple"):
        items = [_unpacked(item, session) for item in inner]
        return items if tag == "list" else tuple(items)
    if tag == "row":
        row = session.get(_named(value["c"]), tuple(inner))
        if row is None:
            raise _Gone(value["c"])
        return row
    if tag == "obj":
        return _named(value["c"])(_unpacked(inner, session))
    raise ValueError(f"unknown stored value: {tag}")


def _name(thing) -> str:
    name = f"{thing.__module__}:{thing.__qualname__}"
    if not thing.__module__.startswith(("portal.", "flask_babel")) or "<" in name:
        raise TypeError(f"not a portal or translation function: {name}")
    return name


def _named(name: str):
    module, _sep, attribute = name.partition(":")
    if not module.startswith(("portal.", "flask_babel")):
        raise ValueError(f"not a portal function: {name}")
    return getattr(import_module(module), attribute)


def from_template(row: Delivery) -> EmailMessage | None:
    """The maker of e-mails queued by later(): renders it from the sealed values."""
    spec = json.loads(mail.KEYS.decrypt(bytes(row.message).decode("ascii")))
    try:
        context = _unpacked(spec["context"], db.session)
    except _Gone as gone:  # what it was about is no longer kept: nothing to tell
        log.info("e-mail %s not sent: its %s was deleted", row.id, gone)
        return None
    return mail.build(spec["to"], spec["template"], spec["language"],
                      _unpacked(spec["subject"], db.session), **context)


# --- the hand-over after the commit -------------------------------------------------------

def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: the transaction goes on
        return
    work = [(_id_of(row), after_response)
            for row, after_response in session.info.pop(_PENDING, None) or ()]
    work = [(id_, after_response) for id_, after_response in work if id_ is not None]
    if not work:
        return
    app = current_app._get_current_object()
    now = [id_ for id_, after_response in work
           if not (after_response and has_request_context())]
    later_ = [id_ for id_, after_response in work if id_ not in now]
    for ids, after_response in ((now, False), (later_, True)):
        if not ids or _enqueued(app, ids):
            continue
        if after_response:
            _after_response(app, ids)
        elif _deliver_here(ids):
            session.info[_DELAYED] = True


def _id_of(row: Delivery) -> int | None:
    """The id of a committed row without loading it again (None: it was not written)."""
    identity = inspect(row).identity
    return identity[0] if identity else None


def _after_rollback(session: Session, previous) -> None:
    if not previous.nested:  # a savepoint rolled back: the transaction goes on
        session.info.pop(_PENDING, None)


def _enqueued(app, ids) -> bool:
    if not jobs.use_rq(app):
        return False
    from redis.exceptions import RedisError  # only with REDIS_URL (see jobs)
    from rq import Retry  # idem

    try:
        jobs.queue(app).enqueue(rq_deliver, ids, retry=Retry(
            max=len(RQ_RETRY_INTERVALS), interval=list(RQ_RETRY_INTERVALS)))
        return True
    except RedisError as exc:  # no queue now: deliver here; what fails waits for the sweeper
        log.warning("job queue unreachable (%s): delivering here", type(exc).__name__)
        return False


def _deliver_here(ids) -> list[int]:
    try:
        return deliver(ids)
    except Exception:  # committed already; the sweeper tries again
        log.exception("delivery after the commit failed: %s", ids)
        return list(ids)


# A server may close a response late (Werkzeug's drains a kept-alive connection first):
# past this many seconds the delivery goes from a thread of its own, whichever comes first.
AFTER_RESPONSE_AT_LATEST = 2.0


def _after_response(app, ids) -> None:
    lock, done = threading.Lock(), []

    def run() -> None:
        with lock:
            if done:
                return
            done.append(True)
            with app.app_context():
                _deliver_here(ids)

    @after_this_request
    def attach(response):
        response.call_on_close(run)
        timer = threading.Timer(AFTER_RESPONSE_AT_LATEST, run)
        timer.daemon = True
        timer.start()
        return response


def rq_deliver(ids: list[int]) -> None:
    """Deliveries as an RQ job: raising makes the queue try again later."""
    left = deliver(ids)
    if left:
        raise RuntimeError(f"not delivered yet: {left}")


def listen() -> None:
    """Hand over what a transaction queued once it commits (idempotent)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)


# --- delivering ----------------------------------------------------------------------------

def deliver(ids: list[int]) -> list[int]:
    """Deliver those among `ids` not delivered yet, one per transaction, in an application
    context (and so a database session) of its own: the caller's session may be in the
    middle of its commit. Returns the ids still waiting."""
    with current_app.app_context():
        try:
            return [id_ for id_ in ids if not _attempt(id_)]
        finally:
            db.session.remove()


def _attempt(id_: int) -> bool:
    """One try at one delivery; False when it still waits (and why is kept)."""
    row = db.session.scalar(select(Delivery).where(
        Delivery.id == id_, Delivery.sent_at.is_(None), Delivery.failed_at.is_(None))
        .with_for_update(skip_locked=True))
    if row is None:  # delivered or given up already, or being delivered elsewhere right now
        db.session.rollback()
        return True
    if row.channel == EMAIL and not row.recipient:  # a stand-in (see later()): nothing to keep
        db.session.delete(row)
        db.session.commit()
        return True
    channel, kind = row.channel, row.kind
    try:
        done = _deliver_one(row)
    except Refusal as exc:  # for good: the same data would be refused again
        db.session.rollback()
        _failed(id_, str(exc), final=True)
        log.warning("%s %s (%s) refused: %s", channel, id_, kind, exc)
        return True
    except Exception as exc:
        db.session.rollback()
        final = channel == SMS and _attempts(id_) + 1 >= current_app.config[
            "NOTIFY_MAX_ATTEMPTS"]
        # An e-mail's error names its type only: the server's answer may quote addresses.
        _failed(id_, type(exc).__name__ if channel == EMAIL else f"{type(exc).__name__}: {exc}",
                final=final)
        log.warning("%s %s (%s) waits for a retry: %s", channel, id_, kind,
                    type(exc).__name__)
        return final
    if done is None or channel == LETTER:  # nothing (left) to send, or the letter is issued
        db.session.delete(row)
    else:
        row.attempts += 1
        row.sent_at, row.message, row.last_error = utcnow(), None, None
    db.session.commit()
    return True


def _deliver_one(row: Delivery):
    """Make and send `row`: what was sent, or None when there was nothing to send."""
    if row.channel == LETTER:
        return _named(row.maker)(row)
    if row.channel == SMS:
        made = _named(row.maker)(row)
        if made is not None:
            phone, text = made
            sms.gateway().send(phone, text)
        return made
    if row.maker is None:
        message = BytesParser(policy=policy.SMTP).parsebytes(mail.unseal(row.message))
    else:
        message = _named(row.maker)(row)
        if message is None:
            return None
        row.subject = str(message["Subject"])[:300]
    mail.transmit(message)
    return message


def _attempts(id_: int) -> int:
    return db.session.scalar(select(Delivery.attempts).where(Delivery.id == id_)) or 0


def _failed(id_: int, reason: str, *, final: bool) -> None:
    row = db.session.get(Delivery, id_)
    if row is None:
        return
    row.attempts += 1
    row.last_error = reason[:1000]
    row.next_attempt_at = utcnow() + wait_before(row.attempts)
    if final:
        row.failed_at = utcnow()
    db.session.commit()


# --- the sweeper ----------------------------------------------------------------------------

def sweep(now: datetime | None = None, limit: int = 1000) -> tuple[int, int, list[Delivery]]:
    """Deliver what is due and still waits (cron): (delivered, still waiting, given up)."""
    now = now or utcnow()
    waiting = (Delivery.sent_at.is_(None), Delivery.failed_at.is_(None))
    ids = db.session.scalars(select(Delivery.id).where(
        *waiting, Delivery.next_attempt_at <= now).order_by(Delivery.id).limit(limit)).all()
    db.session.rollback()
    left = deliver(ids)
    still = db.session.scalar(select(db.func.count(Delivery.id)).where(*waiting)) or 0
    given_up = db.session.scalars(select(Delivery).where(Delivery.failed_at.is_not(None))
                                  .order_by(Delivery.id)).all()
    return len(ids) - len(left), still, list(given_up)


deliveries_cli = AppGroup("deliveries", help="Outgoing e-mails, text messages and letters.")


@deliveries_cli.command("sweep")
@click.option("--all", "everything", is_flag=True,
              help="Try everything that waits now, not only what is due.")
def sweep_command(everything: bool):
    """Deliver again what failed or was lost on the way (cron, every few minutes); list
    what was given up (letters refused, text messages past their tries)."""
    done, waiting, given_up = sweep(now=utcnow() + MAX_WAIT * 10 if everything else None)
    click.echo(f"delivered {done}; {waiting} still waiting; {len(given_up)} given up")
    for row in given_up:
        what = row.reference or row.kind
        click.echo(f"  given up {row.channel} {what} ({row.subject_type or '-'} "
                   f"{row.subject_id or '-'}): {row.last_error}")


def init_app(app) -> None:
    app.cli.add_command(deliveries_cli)
    listen()
