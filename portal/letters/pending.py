"""Letters made after the commit of the move that issues them.

A move (an application submitted, a decision confirmed) decides its letter inside its
transaction: `later(...)` writes a letter delivery (portal.outbox) with the letter's
reference, delivered once the transaction commits: a job on the queue when there is one,
else right here. So a candidate's submit answers in milliseconds instead of waiting for a
whole bilingual PDF, and a render that fails never undoes the move.

The delivery calls the letter's maker (a domain's function that builds the recipient and
context from the row and calls letters.services.issue with the row's reference), one
letter per transaction. A refusal (a text that cannot be printed, a render past its
limits) gives the row up with its reason, for staff; any other error leaves it waiting for
the queue's retries and `flask deliveries sweep` (cron, every few minutes).
"""
from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select

from portal import outbox
from portal.extensions import db
from portal.letters import services
from portal.letters.services import new_reference
from portal.outbox import Delivery


def later(kind: str, maker: Callable[[Delivery], object], *, subject, user=None,
          person=None, actor=None, params: dict | None = None) -> Delivery:
    """Issue the letter of `kind` about `subject` once this transaction commits (flushes).
    `maker(row)` is a module-level function of the portal that issues it."""
    return outbox.made_later(
        outbox.LETTER, maker, kind=kind, params=params, reference=new_reference(kind),
        subject_type=type(subject).__name__, subject_id=str(subject.id),
        user_id=getattr(user, "id", None), person_id=getattr(person, "id", None),
        actor_id=getattr(actor, "id", None))


def later_printable(kind: str, maker: Callable[[Delivery], object], *, subject,
                    recipient, languages, user=None, person=None, actor=None,
                    params: dict | None = None) -> Delivery:
    """`later(...)`, and what would stop the letter from printing (a name too long for its
    line, an address the window cannot hold) refuses the move now, not after its commit."""
    row = later(kind, maker, subject=subject, user=user, person=person, actor=actor,
                params=params)
    printed, _delivery = services.for_delivery(recipient)
    services.check_printable(recipient=printed, languages=languages, reference=row.reference)
    return row


def params(row: Delivery) -> dict:
    return json.loads(row.params or "{}")


# The deliveries that are letters (being made, or given up).
LETTERS = Delivery.channel == outbox.LETTER


def of_subject(subject) -> list[Delivery]:
    """The letters about `subject` still being made or given up, oldest first."""
    return list(db.session.scalars(select(Delivery).where(
        LETTERS, Delivery.subject_type == type(subject).__name__,
        Delivery.subject_id == str(subject.id)).order_by(Delivery.id)))
