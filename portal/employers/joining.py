"""Who becomes an HR user of an enterprise, and who decides.

Nobody joins an enterprise by holding a link: a contact named by a reservist asks, and an
administrator of the enterprise approves or refuses, seeing who asks and through whom. While
the enterprise has no administrator, Defence staff decide, after checking with the enterprise
through its registered address or another official channel, and say how. Every member and
every reservist whose agreement the newcomer will read are told who joined.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import audit, mail, outbox
from portal.accounts.models import User
from portal.employers.members import membership
from portal.employers.models import (
    LIVE,
    Agreement,
    Employer,
    EmployerUser,
    JoinRequest,
    JoinStatus,
)
from portal.extensions import db
from portal.locking import lock_row
from portal.models import utcnow
from portal.refusals import Refusal
from portal.security import Role

# How Defence staff checked that a first administrator really acts for the enterprise.
VERIFICATIONS = {
    "post": _l("A code sent by post to the registered address, read back to us"),
    "phone": _l("A call to the telephone number registered in the KBO/BCE"),
    "official_email": _l("A reply from the enterprise's official e-mail address"),
    "sector": _l("Confirmed by the enterprise's sector organisation"),
}

# TRANSLATORS: formal (to an enterprise's HR user)
REQUEST_SUBJECT = _l("Someone asks to join your enterprise's employer space")
# TRANSLATORS: formal (to an enterprise's HR user)
DECIDED_SUBJECT = _l("Your request to join an employer space was answered")
# TRANSLATORS: formal (to an enterprise's HR user)
JOINED_SUBJECT = _l("A new HR user joined an employer space")


def add_member(employer: Employer, user: User, *, admin: bool, actor) -> EmployerUser:
    found = membership(user, employer.id)
    if found is not None:
        if admin and not found.is_admin:
            found.is_admin = True
        return found
    member = EmployerUser(employer=employer, user_id=user.id, is_admin=admin)
    db.session.add(member)
    db.session.flush()
    audit.record(actor, "employer.member_added", employer, user_id=user.id, admin=admin)
    return member


def admins(employer_id: int) -> list[User]:
    return list(db.session.scalars(
        db.select(User).join(EmployerUser, EmployerUser.user_id == User.id)
        .where(EmployerUser.employer_id == employer_id, EmployerUser.is_admin.is_(True),
               User.active.is_(True)).order_by(User.id)))


def open_request(employer_id: int, user_id: int) -> JoinRequest | None:
    return db.session.scalar(db.select(JoinRequest).where(
        JoinRequest.employer_id == employer_id, JoinRequest.user_id == user_id,
        JoinRequest.status == JoinStatus.PENDING))


def request_join(user: User, agreement: Agreement, *, function: str) -> JoinRequest:
    """The contact of `agreement` asks to become an HR user of its enterprise."""
    employer = agreement.employer
    if membership(user, employer.id) is not None:
        # TRANSLATORS: formal (to an enterprise's HR user)
        raise Refusal(_("You already have access to this enterprise."))
    found = open_request(employer.id, user.id)
    if found is not None:
        return found
    function = (function or "").strip()
    if not function:
        raise Refusal(_("Give your function in the company."), "function")
    request = JoinRequest(employer_id=employer.id, user_id=user.id, agreement_id=agreement.id,
                          function=function[:200])
    db.session.add(request)
    db.session.flush()
    audit.record(user, "employer.join_requested", request, employer_id=employer.id,
                 agreement_id=agreement.id)
    link = mail.external_url("employers_hr.enterprise", employer_id=employer.id)
    reservist = db.session.get(User, agreement.reservist_id)
    for admin in admins(employer.id):
        # TRANSLATORS: formal (to an enterprise's HR user), the three lines below
        _notice(admin, REQUEST_SUBJECT, link,
                _l("%(name)s (%(email)s, %(function)s) asks to become an HR user of "
                   "%(employer)s on the Reserve portal.", name=user.full_name,
                   email=user.email, function=request.function, employer=employer.name),
                # TRANSLATORS: formal (to an enterprise's HR user)
                _l("The reservist %(reservist)s named this address as their HR contact. "
                   "If you do not know this person, refuse the request.",
                   reservist=reservist.full_name),
                # TRANSLATORS: formal (to an enterprise's HR user)
                _l("An HR user sees every reservist of the enterprise, their agreements and "
                   "the yearly statements. Approve or refuse in the employer space."))
    return request


def pending_for(employer_id: int) -> list[JoinRequest]:
    return list(db.session.scalars(db.select(JoinRequest).where(
        JoinRequest.employer_id == employer_id, JoinRequest.status == JoinStatus.PENDING)
        .order_by(JoinRequest.id)))


def awaiting_defence() -> list[JoinRequest]:
    """Open requests of enterprises without an administrator: Defence staff decide those."""
    with_admin = db.select(EmployerUser.employer_id).where(EmployerUser.is_admin.is_(True))
    return list(db.session.scalars(db.select(JoinRequest).where(
        JoinRequest.status == JoinStatus.PENDING,
        JoinRequest.employer_id.not_in(with_admin)).order_by(JoinRequest.id)))


def may_decide(actor: User, request: JoinRequest) -> bool:
    if actor.id == request.user_id:
        return False
    if admins(request.employer_id):
        member = membership(actor, request.employer_id)
        return member is not None and member.is_admin
    return actor.role == Role.ADMIN


def decide(actor: User, request_id: int, *, approve: bool, verified_by: str = "",
           note: str = "") -> JoinRequest:
    request = lock_row(JoinRequest, request_id)
    if request is None or not may_decide(actor, request):
        raise Refusal(_("You are not allowed to take this action."))
    if request.status != JoinStatus.PENDING:
        raise Refusal(_("This request was already answered."))
    note = (note or "").strip()[:1000]
    by_defence = actor.role == Role.ADMIN
    if by_defence and approve:
        if verified_by not in VERIFICATIONS:
            raise Refusal(_("Say how you checked with the enterprise that this person acts "
                            "for it."), "verified_by")
        if not note:
            raise Refusal(_("Note what you checked (whom you spoke to, which address or "
                            "number)."), "note")
    request.status = JoinStatus.APPROVED if approve else JoinStatus.REFUSED
    request.decided_at, request.decided_by_id = utcnow(), actor.id
    request.verified_by, request.note = (verified_by if by_defence else ""), note
    db.session.flush()
    audit.record(actor, f"employer.join_{request.status}", request,
                 employer_id=request.employer_id, user_id=request.user_id,
                 verified_by=request.verified_by)
    user = db.session.get(User, request.user_id)
    employer = request.employer
    if approve:
        # The first administrator comes from Defence staff's check; later ones are made
        # administrators by an administrator in the enterprise page.
        member = add_member(employer, user, admin=by_defence, actor=actor)
        announce_member(employer, member, approved_by=actor.id)
        # TRANSLATORS: formal (to an enterprise's HR user)
        line = _l("You are now an HR user of %(employer)s on the Reserve portal.",
                  employer=employer.name)
        link = mail.external_url("employers_hr.enterprise", employer_id=employer.id)
    else:
        # TRANSLATORS: formal (to an enterprise's HR user)
        line = _l("Your request to become an HR user of %(employer)s was refused. You keep "
                  "access to the agreement you were sent.", employer=employer.name)
        link = mail.external_url("employers_hr.home")
    _notice(user, DECIDED_SUBJECT, link, line)
    return request


def announce_member(employer: Employer, member: EmployerUser, *, approved_by: int | None):
    """Tell every other member and every reservist with a live agreement who joined."""
    newcomer = db.session.get(User, member.user_id)
    approver = db.session.get(User, approved_by) if approved_by else None
    who = _l("%(name)s (%(email)s) is now an HR user of %(employer)s on the Reserve portal.",
             name=newcomer.full_name, email=newcomer.email, employer=employer.name)
    by = (_l("Access was given by %(name)s.", name=approver.full_name)
          if approver is not None else None)
    lines = [who] + ([by] if by is not None else [])
    members = db.session.scalars(
        db.select(User).join(EmployerUser, EmployerUser.user_id == User.id)
        .where(EmployerUser.employer_id == employer.id, User.id != newcomer.id,
               User.active.is_(True)).order_by(User.id))
    link = mail.external_url("employers_hr.enterprise", employer_id=employer.id)
    for user in members:
        _notice(user, JOINED_SUBJECT, link, *lines,
                # TRANSLATORS: formal (to an enterprise's HR user)
                _l("If this is not right, remove their access in the employer space."))
    reservists = db.session.scalars(
        db.select(User).join(Agreement, Agreement.reservist_id == User.id)
        .where(Agreement.employer_id == employer.id, Agreement.status.in_(LIVE))
        .distinct().order_by(User.id))
    for user in reservists:
        _notice(user, JOINED_SUBJECT, mail.external_url("employers_reservist.index"), who,
                _l("HR users of your employer see your agreement and your planned training "
                   "periods. If you think this person should not, tell us from your employer "
                   "page."))


def _notice(user: User, subject, link: str, *lines) -> None:
    """An e-mail to an enterprise's HR user (formal) or to a reservist."""
    formal = user.role == Role.EMPLOYER
    outbox.later(user.email, "notice", user.language, subject, formal=formal,
                 name=(user.full_name if formal else user.first_name) or user.email,
                 lines=tuple(lines), link=link, link_label=None)
