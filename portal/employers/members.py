"""Who belongs to which enterprise: the HR users' memberships, read by every room."""
from __future__ import annotations

from portal.employers.models import Employer, EmployerUser
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
