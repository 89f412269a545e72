"""Who may act for which enterprise: the HR users' memberships, and the contacts of single
agreements (the address a reservist named, once it opened its link). Read by every room."""
from __future__ import annotations

from portal.employers.models import Agreement, AgreementContact, Employer, EmployerUser
from portal.extensions import db


def is_member(user, employer_id: int) -> bool:
    return db.session.scalar(db.select(EmployerUser.id).where(
        EmployerUser.user_id == user.id, EmployerUser.employer_id == employer_id)) is not None


def membership(user, employer_id: int) -> EmployerUser | None:
    return db.session.scalar(db.select(EmployerUser).where(
        EmployerUser.user_id == user.id, EmployerUser.employer_id == employer_id))


def employers_of(user) -> list[Employer]:
    return list(db.session.scalars(
        db.select(Employer).join(EmployerUser).where(EmployerUser.user_id == user.id)
        .order_by(Employer.name)))


def is_contact(user, agreement_id: int) -> bool:
    return db.session.scalar(db.select(AgreementContact.id).where(
        AgreementContact.user_id == user.id,
        AgreementContact.agreement_id == agreement_id)) is not None


def may_answer(user, agreement: Agreement) -> bool:
    """An HR user of the agreement's enterprise, or the contact of this one agreement."""
    return is_member(user, agreement.employer_id) or is_contact(user, agreement.id)


def contact_agreements(user) -> list[Agreement]:
    """Agreements this user answers as their contact, in enterprises they are no member of."""
    member_of = db.select(EmployerUser.employer_id).where(EmployerUser.user_id == user.id)
    return list(db.session.scalars(
        db.select(Agreement).join(AgreementContact, AgreementContact.agreement_id == Agreement.id)
        .where(AgreementContact.user_id == user.id, Agreement.employer_id.not_in(member_of))
        .order_by(Agreement.id.desc())))
