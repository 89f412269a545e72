"""Invitations: cohorts, register persons, issuing personal codes (a reprint revokes the
previous one) and the sign-up with a code.

National register numbers: a person's number is stored (Person.national_number) from the
import until they sign up with their code, because until then it is the only sure way to
match them (eID sign-up, corrections from the register). Once the person has an account it
is cleared; the keyed hash (Person.nn_hash) stays, so the same person is never imported or
invited twice.
"""
from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import func

from portal import audit, clock
from portal.accounts import services as accounts
from portal.extensions import db
from portal.invitations import codes
from portal.invitations.models import Cohort, Invitation, Person
from portal.models import utcnow
from portal.nn import nn_hash, nn_hasher  # noqa: F401 (re-exported)

_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(cohort) -> str:
    """Printed on the letter and quoted on the phone, e.g. INV-7K3M9Q2XBD."""
    return "INV-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(10))


def revoke_open(person_ids, now=None) -> int:
    """Revoke every open invitation of these people; returns how many."""
    now = now or utcnow()
    result = db.session.execute(
        db.update(Invitation)
        .where(Invitation.person_id.in_(list(person_ids)), Invitation.used_at.is_(None),
               Invitation.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


def new_invitation(person, cohort) -> tuple[Invitation, str]:
    """A fresh invitation row and its plain code (not flushed, not audited): for bulk runs."""
    code = codes.generate()
    invitation = Invitation(
        person_id=person.id, cohort_id=cohort.id, reference=new_reference(cohort),
        code_hash=codes.hash_code(code), expires_on=cohort.expires_on,
    )
    return invitation, code


def issue_invitation(person, cohort, actor) -> tuple[Invitation, str]:
    """A new invitation code for `person`; any open one is revoked. The plain code is
    returned once, to be printed, and never stored."""
    revoked = revoke_open([person.id])
    invitation, code = new_invitation(person, cohort)
    db.session.add(invitation)
    db.session.flush()
    audit.record(actor, "invitation.issued", invitation, person_id=person.id,
                 cohort=cohort.name, revoked=revoked)
    return invitation, code


class CohortError(ValueError):
    """A cohort that cannot be created as asked; `reason` says why (a short code)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def cohort_by_name(name: str) -> Cohort | None:
    return db.session.scalar(db.select(Cohort).where(Cohort.name == name.strip()))


def create_cohort(name: str, born_from: date, born_to: date, expires_on: date, actor) -> Cohort:
    """A new cohort. Raises CohortError("name_taken" | "dates" | "name")."""
    name = name.strip()
    if not name or len(name) > 80:
        raise CohortError("name")
    if born_from > born_to:
        raise CohortError("dates")
    if cohort_by_name(name) is not None:
        raise CohortError("name_taken")
    cohort = Cohort(name=name, born_from=born_from, born_to=born_to, expires_on=expires_on)
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor, "invitations.cohort_created", cohort, name=name,
                 born_from=born_from.isoformat(), born_to=born_to.isoformat(),
                 expires_on=expires_on.isoformat())
    return cohort


NOT_INTERESTED = "not_interested"
LATER = "later"
ANSWERS = (NOT_INTERESTED, LATER)


def record_answer(invitation: Invitation, answer: str) -> None:
    """Keep "not interested" or "maybe later" with its time; a later answer replaces it.
    The code stays valid: "maybe later" can still sign up with it."""
    if answer not in ANSWERS:
        raise ValueError(answer)
    invitation.answer = answer
    invitation.answered_at = utcnow()


def cohort_counts(cohort: Cohort) -> dict:
    """Persons, by region and by language, invited and signed up: a few grouped queries."""
    in_cohort = Person.cohort_id == cohort.id
    by_region = dict(db.session.execute(
        db.select(Person.region, func.count()).where(in_cohort).group_by(Person.region)
    ).all())
    by_language = dict(db.session.execute(
        db.select(Person.language, func.count()).where(in_cohort).group_by(Person.language)
    ).all())
    invited = db.session.scalar(
        db.select(func.count(func.distinct(Invitation.person_id)))
        .where(Invitation.cohort_id == cohort.id)
    )
    signed_up = db.session.scalar(
        db.select(func.count()).select_from(Invitation)
        .where(Invitation.cohort_id == cohort.id, Invitation.used_at.is_not(None))
    )
    answers = dict(db.session.execute(
        db.select(Invitation.answer, func.count())
        .where(Invitation.cohort_id == cohort.id, Invitation.answer.is_not(None))
        .group_by(Invitation.answer)
    ).all())
    return {
        "not_interested": answers.get(NOT_INTERESTED, 0),
        "later": answers.get(LATER, 0),
        "persons": sum(by_region.values()),
        "by_region": by_region,
        "by_language": by_language,
        "invited": invited or 0,
        "signed_up": signed_up or 0,
    }


def invitation_for_code_hash(code_hash: str) -> Invitation | None:
    """The invitation with this code hash if it can still be used, else None.

    Unknown, used, revoked and expired codes all give None: the caller answers all of them
    with the same message.
    """
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.code_hash == code_hash))
    if invitation is None or not invitation.is_open:
        return None
    if invitation.expires_on < clock.today():
        return None
    return invitation


def open_invitation(invitation_id: int | None) -> Invitation | None:
    """An invitation kept in the sign-up session, if it can still be used."""
    if invitation_id is None:
        return None
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not invitation.is_open or invitation.expires_on < clock.today():
        return None
    return invitation


class InvitationUnavailable(Exception):
    """The invitation was used or revoked in the meantime (another tab, another person)."""


def sign_up_with_invitation(invitation: Invitation, email: str, password: str, first_name: str,
                            last_name: str, language: str):
    """A citizen account for the invitation's person; the code is then used up.

    The invitation is claimed first with a conditional UPDATE, so two simultaneous sign-ups
    with one code give one account. The person's national register number is cleared: the
    account now identifies them. Raises InvitationUnavailable, or accounts' EmailTaken (the
    caller rolls back either way). Flushes; the caller commits and sends the verification.
    """
    now = utcnow()
    claimed = db.session.execute(
        db.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None),
               Invitation.revoked_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise InvitationUnavailable()
    person = invitation.person
    user = accounts.create_citizen(email, password, first_name, last_name, language,
                                   invited=True)
    person.user_id = user.id
    invitation.used_at = now
    invitation.user_id = user.id
    person.national_number = None
    db.session.flush()
    audit.record(user, "invitations.code_used", invitation, user_id=user.id,
                 person_id=person.id)
    return user
