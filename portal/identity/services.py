"""Who a federal login is: the account with this FAS subject, else the account of the
register person with this national register number, else (only when its holder just asked
to link it, with their password) the account signed in now.

The national register number the identity carries outranks anything typed: it links the
login to the citizen's invitation (Person) and their account. A staff account is reached
only by an identity whose number an administrator recorded on the staff record.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask import current_app
from stdnum.be import nn as stdnn

from portal import audit, nn
from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.extensions import db
from portal.invitations import identity
from portal.invitations.models import Person
from portal.security import Role


@dataclass
class Outcome:
    user: User | None  # the account to sign in, or None: a new account is needed
    person_id: int | None  # the register person the identity belongs to, if known
    linked: bool = False  # the identity was linked to the account just now


class NotThisStaffMember(Exception):
    """A federal identity whose national register number is not the one recorded on the
    staff account it would reach."""


def _matches_staff_record(user: User, number: str | None) -> bool:
    return bool(number and user.nn_hash and hmac.compare_digest(nn.nn_hash(number),
                                                                user.nn_hash))


def national_number(claims: dict) -> str | None:
    value = claims.get(current_app.config["OIDC_NN_CLAIM"])
    if not isinstance(value, str) or not stdnn.is_valid(value):
        return None
    return stdnn.compact(value)


def resolve(claims: dict, signed_in: User | None, *, linking: bool = False) -> Outcome:
    """Find (and link) the account of a verified identity. Flushes.

    `linking`: the signed-in user asked, with their password, to link a federal login just
    now; only then does an unknown identity attach to the open session's account. Raises
    NotThisStaffMember when a staff account would be reached by another person's identity.
    """
    subject = str(claims["sub"])
    number = national_number(claims)
    person = identity.person_by_number(number) if number else None
    user = accounts.find_by_fas_subject(subject)
    if user is None and person is not None:
        user = identity.account_of(person)
    if user is None and linking and signed_in is not None and signed_in.fas_subject is None:
        user = signed_in  # linking the federal login from an open, freshly confirmed session
    if user is None:
        return Outcome(None, person.id if person is not None else None)
    if user.role != Role.CITIZEN and not _matches_staff_record(user, number):
        audit.record(None, "accounts.federated_refused", user, reason="not the staff member")
        db.session.flush()
        raise NotThisStaffMember()
    linked = False
    if user.fas_subject is None:
        user.fas_subject = subject
        linked = True
        audit.record(user, "accounts.federated_linked", user)
    if person is not None and identity.person_of(user) is None \
            and identity.account_of(person) is None:
        identity.link(person, user)
        audit.record(user, "invitations.person_linked", user, person_id=person.id,
                     source="fas")
    db.session.flush()
    return Outcome(user, person.id if person is not None else None, linked)


def open_account(pending: dict, email: str, language: str) -> User:
    """The new citizen account of a federal login with no account yet. Raises EmailTaken."""
    user = accounts.create_federated_citizen(email, pending.get("given_name", ""),
                                             pending.get("family_name", ""), language,
                                             pending["sub"])
    person_id = pending.get("person_id")
    if person_id is not None:
        person = db.session.get(Person, person_id)
        if person is not None and identity.account_of(person) is None:
            identity.link(person, user)
            audit.record(user, "invitations.person_linked", user, person_id=person.id,
                         source="fas")
    db.session.flush()
    return user
