"""The link between a register person and a citizen account, in one place.

Other code asks these functions rather than reading the link's column (`Person.user_id`:
the accounts domain knows nothing of persons).
"""
from __future__ import annotations

from portal.accounts.models import User
from portal.extensions import db
from portal.invitations.models import Person
from portal.invitations.services import nn_hash


def person_of(user: User | None) -> Person | None:
    if user is None or user.id is None:
        return None
    return db.session.scalar(db.select(Person).where(Person.user_id == user.id))


def account_of(person: Person) -> User | None:
    return db.session.get(User, person.user_id) if person.user_id is not None else None


def person_by_number(number: str) -> Person | None:
    """The register person with this national register number (by its keyed hash)."""
    return db.session.scalar(db.select(Person).where(Person.nn_hash == nn_hash(number)))


def link(person: Person, user: User) -> None:
    """Make `user` the account of `person`. The caller checks neither has another link."""
    person.user_id = user.id
    person.national_number = None  # the account identifies them now
    db.session.flush()


def account_id_for_hash(number_hash: str) -> int | None:
    """The account linked to the register person with this number hash, if any."""
    return db.session.scalar(db.select(Person.user_id).where(Person.nn_hash == number_hash))
