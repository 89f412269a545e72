"""Invitations: issuing a person's personal code (a reprint revokes the previous one)."""
from __future__ import annotations

import secrets

from portal import audit
from portal.extensions import db
from portal.invitations import codes
from portal.invitations.models import Invitation
from portal.models import utcnow

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
