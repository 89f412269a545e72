"""Letters rendered after the commit of the move that issues them.

A move (an application submitted, a decision confirmed) decides its letter inside its
transaction: `later(...)` writes a PendingLetter with the letter's reference and hands
its id to the platform's after-commit delivery (portal.outbox): a job on the queue when
there is one, else right here once the transaction commits. So a candidate's submit
answers in milliseconds instead of waiting for a whole bilingual PDF, and a render that
fails never undoes the move.

`render(ids)` issues each pending letter through its maker (a domain's function that
builds the recipient and context from the row and calls letters.services.issue with the
row's reference), in an application context of its own, one letter per transaction. A
refusal (a text that cannot be printed, a render past its limits) marks the row failed
with its reason, for staff; any other error leaves it pending for the queue's retries and
`flask letters pending` (cron, every few minutes).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from importlib import import_module

from flask import current_app
from sqlalchemy import delete, select

from portal import outbox
from portal.extensions import db
from portal.letters import services
from portal.letters.models import PendingLetter
from portal.letters.services import new_reference
from portal.models import utcnow
from portal.refusals import Refusal

log = logging.getLogger(__name__)


def later(kind: str, maker: Callable[[PendingLetter], object], *, subject, user=None,
          person=None, actor=None, params: dict | None = None) -> PendingLetter:
    """Issue the letter of `kind` about `subject` once this transaction commits (flushes).
    `maker(row)` is a module-level function of the portal that issues it."""
    name = f"{maker.__module__}:{maker.__name__}"
    if not name.startswith("portal."):
        raise ValueError(f"not a portal function: {name}")
    row = PendingLetter(kind=kind, reference=new_reference(kind), maker=name,
                        subject_type=type(subject).__name__, subject_id=str(subject.id),
                        user_id=getattr(user, "id", None), person_id=getattr(person, "id", None),
                        actor_id=getattr(actor, "id", None), params=json.dumps(params or {}),
                        created_at=utcnow(), attempts=0)
    db.session.add(row)
    db.session.flush()
    outbox.after_commit(render, [row.id])
    return row


def later_printable(kind: str, maker: Callable[[PendingLetter], object], *, subject,
                    recipient, languages, user=None, person=None, actor=None,
                    params: dict | None = None) -> PendingLetter:
    """`later(...)`, and what would stop the letter from printing (a name too long for its
    line, an address the window cannot hold) refuses the move now, not after its commit."""
    row = later(kind, maker, subject=subject, user=user, person=person, actor=actor,
                params=params)
    printed, _delivery = services.for_delivery(recipient)
    services.check_printable(recipient=printed, languages=languages, reference=row.reference)
    return row


def params(row: PendingLetter) -> dict:
    return json.loads(row.params or "{}")


def _maker(name: str):
    module, _sep, function = name.partition(":")
    if not module.startswith("portal."):
        raise ValueError(f"not a portal function: {name}")
    return getattr(import_module(module), function)


def render(ids: list[int]) -> list[int]:
    """Issue the pending letters among `ids`; returns those to try again later. Runs in
    an application context (and so a database session) of its own: the caller's session
    may be in the middle of its commit."""
    with current_app.app_context():
        try:
            return [id_ for id_ in ids if not _render_one(id_)]
        finally:
            db.session.remove()


def _render_one(id_: int) -> bool:
    """One try at one letter; False when it stays pending."""
    row = db.session.scalar(select(PendingLetter).where(
        PendingLetter.id == id_, PendingLetter.failed_at.is_(None))
        .with_for_update(skip_locked=True))
    if row is None:  # issued or given up already, or being rendered elsewhere right now
        db.session.rollback()
        return True
    try:
        _maker(row.maker)(row)
    except Refusal as exc:  # for good: the same data would be refused again
        db.session.rollback()
        _failed(id_, str(exc), final=True)
        log.warning("letter %s (%s) refused: %s", id_, row.kind, exc)
        return True
    except Exception as exc:
        db.session.rollback()
        _failed(id_, f"{type(exc).__name__}: {exc}", final=False)
        log.exception("letter %s not rendered yet", id_)
        return False
    db.session.execute(delete(PendingLetter).where(PendingLetter.id == id_))
    db.session.commit()
    return True


def _failed(id_: int, reason: str, *, final: bool) -> None:
    row = db.session.get(PendingLetter, id_)
    if row is None:
        return
    row.attempts += 1
    row.last_error = reason[:300]
    if final:
        row.failed_at = utcnow()
    db.session.commit()


def render_all(limit: int = 1000) -> tuple[int, int]:
    """Try every pending letter not given up (cron): (issued, still pending)."""
    ids = db.session.scalars(select(PendingLetter.id).where(PendingLetter.failed_at.is_(None))
                             .order_by(PendingLetter.id).limit(limit)).all()
    db.session.rollback()
    left = render(ids)
    return len(ids) - len(left), len(left)


def of_subject(subject) -> list[PendingLetter]:
    """The letters about `subject` still being made or given up, oldest first."""
    return list(db.session.scalars(select(PendingLetter).where(
        PendingLetter.subject_type == type(subject).__name__,
        PendingLetter.subject_id == str(subject.id)).order_by(PendingLetter.id)))
