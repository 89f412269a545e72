"""What follows a move of an agreement: its letter and the e-mails to the people concerned.
Connected to workflow's `agreement_moved` signal by the domain's DOMAIN (SUBSCRIPTIONS)."""
from __future__ import annotations

from sqlalchemy import or_

from portal import mail, outbox, regions
from portal.accounts.models import User
from portal.employers import signals, terms
from portal.employers.models import (
    Agreement,
    AgreementContact,
    AgreementTerms,
    Employer,
    EmployerUser,
)
from portal.extensions import db
from portal.letters import pending
from portal.letters import services as letters
from portal.notifications import messages

# Each move's subject, from the table of messages (also the HR page's confirmation).
SUBJECTS = {action: entry.subject for (lifecycle, action), entry in messages.EVENTS.items()
            if lifecycle == "agreement"}


def letter_languages(agreement: Agreement) -> tuple[str, ...]:
    """Always French and Dutch; the employer's language first."""
    return regions.REGISTER_LANGUAGES.get(agreement.employer.language,
                                          regions.REGISTER_LANGUAGES["nl"])


def recipient(employer: Employer) -> letters.Recipient:
    """The enterprise at its postal address, the letter addressed to its contact person.
    Without a deliverable address its letters go online only (the employer space)."""
    return letters.Recipient.organisation(
        name=employer.name, contact=employer.contact_name,
        contact_function=employer.contact_function, street=employer.street,
        house_number=employer.house_number, box=employer.box, postcode=employer.postcode,
        municipality=employer.municipality, register_language=employer.language)


def issue_letter(agreement: Agreement, actor, action: str, *, reason: str = "",
                 reference: str | None = None, signed_terms: AgreementTerms | None = None):
    """The bilingual agreement letter of this move, archived for the reservist and the
    enterprise (flushes): by post to the enterprise's address when it has one. `reason`
    and `signed_terms`: the move's, when the agreement moved on since."""
    employer = agreement.employer
    reservist = db.session.get(User, agreement.reservist_id)
    signed_terms = signed_terms or agreement.terms
    context = {"agreement": agreement, "employer": employer, "reservist": reservist,
               "terms": signed_terms, "action": action, "reason": reason,
               "compensation": terms.euros(signed_terms.compensation_cents),
               "title": "agreement", "formal": True}
    return letters.issue("agreement", recipient=recipient(employer), context=context,
                         actor=actor, languages=letter_languages(agreement), user=reservist,
                         subject=agreement, reference=reference)


def issue_letter_later(agreement: Agreement, actor, action: str, reason: str = ""):
    """The move's letter, made once its transaction commits (letters.pending): the move
    answers at once. Its reference is fixed now, and an address or name the letter could
    not print refuses the move now."""
    reservist = db.session.get(User, agreement.reservist_id)
    return pending.later_printable(
        "agreement", make_letter, subject=agreement, recipient=recipient(agreement.employer),
        languages=letter_languages(agreement), user=reservist, actor=actor,
        params={"action": action, "reason": reason, "terms_id": agreement.terms_id})


def make_letter(row) -> None:
    """Issue a pending agreement letter (letters.pending calls it after the commit). An
    agreement erased meanwhile gets no letter."""
    agreement = db.session.get(Agreement, int(row.subject_id))
    if agreement is None:
        return
    given = pending.params(row)
    actor = db.session.get(User, row.actor_id) if row.actor_id else None
    signed_terms = db.session.get(AgreementTerms, given["terms_id"]) if given.get(
        "terms_id") else None
    issue_letter(agreement, actor, given.get("action", ""), reason=given.get("reason", ""),
                 reference=row.reference, signed_terms=signed_terms)


def hr_users(employer_id: int) -> list[User]:
    return list(db.session.scalars(
        db.select(User).join(EmployerUser, EmployerUser.user_id == User.id)
        .where(EmployerUser.employer_id == employer_id, User.active.is_(True))
        .order_by(User.id)))


def answering_users(agreement: Agreement) -> list[User]:
    """Who answers for the employer on this agreement: the enterprise's HR users and the
    agreement's own contacts."""
    members = db.select(EmployerUser.user_id).where(
        EmployerUser.employer_id == agreement.employer_id)
    contacts = db.select(AgreementContact.user_id).where(
        AgreementContact.agreement_id == agreement.id)
    return list(db.session.scalars(db.select(User).where(
        User.active.is_(True), or_(User.id.in_(members), User.id.in_(contacts)))
        .order_by(User.id)))


def on_agreement_moved(agreement: Agreement, *, event, action, from_status, to_status, actor):
    letter = issue_letter_later(agreement, actor, action, event.reason or "")
    subject = SUBJECTS.get(action)
    if subject is None:
        return
    reservist = db.session.get(User, agreement.reservist_id)
    outbox.later(reservist.email, "agreement_moved", reservist.language, subject,
                 user=reservist, agreement=agreement, action=action, reason=event.reason,
                 audience="reservist", link=mail.external_url("employers_reservist.index"),
                 letter_reference=letter.reference)
    link = mail.external_url("employers_hr.agreement", agreement_id=agreement.id)
    for user in answering_users(agreement):
        outbox.later(user.email, "agreement_moved", user.language, subject, user=user,
                     agreement=agreement, action=action, reason=event.reason,
                     audience="employer", link=link, letter_reference=letter.reference)


# (signal, receiver), connected by the domain's contract (portal.domains).
SUBSCRIPTIONS = ((signals.agreement_moved, on_agreement_moved),)
