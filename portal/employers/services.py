"""Employers, their HR users and agreements: the rules. Plain values in, audit, flush.

Functions raise Refusal (portal.refusals) with a translated message when a rule says no.
E-mails are queued on the session (outbox) and sent by the caller after its commit.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError

from portal import audit, i18n, mail, outbox, textclean
from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.employers import enterprise, joining, terms, workflow
from portal.employers.joining import add_member  # re-exported
from portal.employers.members import employers_of, is_member, membership  # noqa: F401 (re-exported)
from portal.employers.models import (
    LIVE,
    AccessLink,
    Agreement,
    AgreementContact,
    AgreementStatus,
    Employer,
    EmployerUser,
    Nomination,
)
from portal.extensions import db
from portal.locking import lock_row
from portal.models import utcnow
from portal.refusals import Refusal
from portal.security import Role

# ------------------------------------------------------------------ enterprises, members


def find_employer(number: str) -> Employer | None:
    return db.session.scalar(db.select(Employer).where(Employer.enterprise_number == number))


def employer_for(number: str, name: str, language: str | None = None) -> Employer:
    """The enterprise with this (checked) number; created with `name` when unknown.
    A known enterprise keeps the name it has."""
    found = find_employer(number)
    if found is not None:
        return found
    name = textclean.line(name or "").strip()
    if not name:
        raise Refusal(_("Give the name of the company."), "name")
    employer = Employer(enterprise_number=number, name=name[:200],
                        language=i18n.valid(language) or i18n.DEFAULT)
    try:
        with db.session.begin_nested():
            db.session.add(employer)
            db.session.flush()
    except IntegrityError:  # someone named the same enterprise at the same moment
        found = find_employer(number)
        if found is None:
            raise
        return found
    return employer


def update_employer(actor, employer: Employer, *, joint_committee: str | None,
                    language: str | None, address: dict | None = None,
                    contact: dict | None = None) -> None:
    """An HR user completes the enterprise's joint committee and language, and corrects its
    postal address and contact person (`address`, `contact`: see sign). While agreements
    are only proposed, they follow the terms that now apply."""
    member = membership(actor, employer.id)
    if member is None:
        raise Refusal(_("You are not allowed to take this action."))
    committee = enterprise.joint_committee(joint_committee)
    if address is not None:
        address = enterprise.postal_address(**address)
    if contact is not None:
        contact = enterprise.contact_person(**contact)
    employer.joint_committee = committee
    employer.language = i18n.valid(language) or employer.language
    db.session.flush()
    audit.record(actor, "employer.updated", employer, joint_committee=employer.joint_committee,
                 language=employer.language)
    _set_postal(actor, employer, address, contact)
    refresh_proposed_terms(employer)


POSTAL_FIELDS = ("street", "house_number", "box", "postcode", "municipality")
CONTACT_FIELDS = ("contact_name", "contact_function")


def _set_postal(actor, employer: Employer, address: dict | None, contact: dict | None) -> None:
    """Store a checked postal address and contact person; audit which fields changed (the
    values are the enterprise's, not personal data, but the contact's name stays out)."""
    changed = []
    for values in (address, contact):
        for key, value in (values or {}).items():
            if getattr(employer, key) != value:
                setattr(employer, key, value)
                changed.append(key)
    if changed:
        db.session.flush()
        audit.record(actor, "employer.postal_address", employer, fields=changed)


def refresh_proposed_terms(employer: Employer) -> int:
    """Proposed (unsigned) agreements of this employer move to the terms that apply today;
    signed ones keep theirs. Returns how many changed."""
    current = terms.current_terms(employer)
    changed = 0
    for agreement in db.session.scalars(db.select(Agreement).where(
            Agreement.employer_id == employer.id,
            Agreement.status == AgreementStatus.PROPOSED,
            Agreement.terms_id != current.id)):
        agreement.terms_id = current.id
        agreement.version += 1
        changed += 1
    db.session.flush()
    return changed


# ------------------------------------------------------------------ the reservist names an employer


def nominate(reservist: User, *, enterprise_number: str, name: str, hr_email: str,
             hold: bool, language: str | None = None) -> Nomination:
    """The reservist names their employer. Unless they asked to wait, the HR contact gets a
    link to the proposed agreement (queued e-mail).

    `language`: the one the HR contact reads (nl, fr, de), which their first e-mail and the
    page its link opens use; a new enterprise is written to in it too. Another value or none:
    the enterprise's language (a new one takes the reservist's)."""
    number = enterprise.enterprise_number(enterprise_number)
    language = language if language in i18n.LETTER_LANGUAGES else None
    email = _checked_email(hr_email, "hr_email")
    if email == reservist.email.lower():
        raise Refusal(_("Give the address of your HR contact at the company, not your own: "
                        "the agreement is signed by your employer."), "hr_email")
    employer = employer_for(number, name, language=language or reservist.language)
    nomination = db.session.scalar(db.select(Nomination).where(
        Nomination.reservist_id == reservist.id, Nomination.employer_id == employer.id))
    if nomination is None:
        nomination = Nomination(reservist_id=reservist.id, employer=employer, hr_email=email,
                                hold=hold, language=language)
        db.session.add(nomination)
    else:
        nomination.hr_email, nomination.hold = email, hold
        nomination.language = language or nomination.language
    db.session.flush()
    audit.record(reservist, "employer.named", nomination, employer_id=employer.id, hold=hold,
                 language=nomination.language)
    if not hold:
        contact(nomination, reservist)
    return nomination


def contact(nomination: Nomination, actor) -> Agreement:
    """Propose the agreement (when none holds yet) and e-mail the HR contact a link. A public
    employer grants the leave by law: the agreement holds at once ("notify"), and the e-mail
    and letter notify it instead of asking for a signature."""
    nomination.hold = False
    agreement = live_agreement(nomination.employer_id, nomination.reservist_id)
    if agreement is None:
        agreement = Agreement(employer_id=nomination.employer_id,
                              reservist_id=nomination.reservist_id,
                              terms_id=terms.current_terms(nomination.employer).id)
        db.session.add(agreement)
        db.session.flush()
        audit.record(actor, "agreement.propose", agreement, to_status="proposed",
                     terms_id=agreement.terms_id)
        if nomination.employer.is_public:
            agreement.signed_at = utcnow()
            workflow.transition(agreement, "notify", actor)
    nomination.contacted_at = utcnow()
    send_link(nomination.employer, nomination.hr_email, actor=actor, agreement=agreement,
              language=nomination.language)
    return agreement


def release_hold(reservist: User, nomination_id: int) -> Agreement:
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or nomination.reservist_id != reservist.id:
        raise Refusal(_("You are not allowed to take this action."))
    return contact(nomination, reservist)


def live_agreement(employer_id: int, reservist_id: int) -> Agreement | None:
    return db.session.scalar(db.select(Agreement).where(
        Agreement.employer_id == employer_id, Agreement.reservist_id == reservist_id,
        Agreement.status.in_(LIVE)).order_by(Agreement.id.desc()).limit(1))


def _checked_email(raw: str, field: str) -> str:
    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Refusal(_("Enter a valid e-mail address, like name@company.be."), field) from exc


# ------------------------------------------------------------------ single-use links


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


LINK_SUBJECT = _l("Release of a reservist: the agreement to sign")
NOTICE_SUBJECT = _l("Leave of a reservist, granted by law: notification")
COLLEAGUE_SUBJECT = _l("You are invited to the employer space of the Reserve")


def send_link(employer: Employer, email: str, *, actor, agreement: Agreement | None = None,
              grants_admin: bool = False, language: str | None = None) -> AccessLink:
    """Write a single-use link for `email` and queue the e-mail that carries it.

    The e-mail is in the language of the address's account when it has one, else in
    `language` (the one the reservist gave for their HR contact), else the enterprise's;
    the link opens its page in that language too."""
    secret = secrets.token_urlsafe(32)
    hours = int(current_app.config["EMPLOYER_LINK_HOURS"])
    link = AccessLink(secret_hash=_hash(secret), employer=employer, email=email,
                      agreement_id=getattr(agreement, "id", None), grants_admin=grants_admin,
                      expires_at=utcnow() + timedelta(hours=hours),
                      created_by_id=getattr(actor, "id", None))
    db.session.add(link)
    db.session.flush()
    audit.record(actor, "employer.link_sent", link, employer_id=employer.id,
                 agreement_id=link.agreement_id)
    known = accounts.find_by_email(email)
    language = known.language if known is not None else (language or employer.language)
    url = mail.external_url("employers_hr.open_link", secret=secret)
    if agreement is not None:
        reservist = db.session.get(User, agreement.reservist_id)
        outbox.later(email, "employer_link", language,
                     NOTICE_SUBJECT if employer.is_public else LINK_SUBJECT, link=url,
                     hours=hours, employer=employer, reservist_name=reservist.full_name,
                     public=employer.is_public)
    else:
        outbox.later(email, "employer_colleague", language, COLLEAGUE_SUBJECT, link=url,
                     hours=hours, employer=employer, inviter=getattr(actor, "full_name", ""))
    return link


def link_language(link: AccessLink) -> str:
    """The language the page of a link opens in: the one the reservist gave for the HR
    contact they named (agreement links), else the enterprise's."""
    if link.agreement_id is not None:
        found = db.session.scalar(db.select(Nomination.language).join(
            Agreement, (Agreement.employer_id == Nomination.employer_id)
            & (Agreement.reservist_id == Nomination.reservist_id))
            .where(Agreement.id == link.agreement_id))
        if found:
            return found
    return link.employer.language


def link_for(secret: str) -> AccessLink:
    """The link behind this secret, if it can still be used; else a Refusal that says why."""
    link = db.session.scalar(db.select(AccessLink).where(AccessLink.secret_hash == _hash(secret)))
    if link is None:
        raise Refusal(_("This link is not valid. Check that you copied the whole address."))
    if link.used_at is not None:
        raise Refusal(_("This link was already used. Log in to continue, or ask for a new link."))
    if link.expires_at < utcnow():
        raise Refusal(_("This link has expired. Ask the reservist or your colleague to send "
                        "a new one."))
    return link


def open_link(secret: str, current, *, first_name: str = "", last_name: str = "",
              language: str | None = None) -> tuple[User, AccessLink]:
    """Use a link once: open the employer account of its address (create it, without a
    password, when there is none).

    A link sent for one agreement (the reservist named this address) makes its holder the
    contact of that agreement only: they read and answer it, nothing else of the enterprise.
    Only a link an administrator of the enterprise sent a colleague makes a member.

    `current` is the signed-in user, if any: a link sent to another address is refused
    then, so nobody reaches an enterprise with someone else's link.
    """
    link = link_for(secret)
    link = lock_row(AccessLink, link.id)
    if link.used_at is not None:
        raise Refusal(_("This link was already used. Log in to continue, or ask for a new link."))
    if current is not None and current.is_authenticated and current.email != link.email:
        raise Refusal(_("This link was sent to another e-mail address than the one you are "
                        "logged in with. Log out first, then open the link again."))
    user = accounts.find_by_email(link.email)
    if user is not None and user.role != Role.EMPLOYER:
        raise Refusal(_("This e-mail address already belongs to a portal account that is not "
                        "an employer account. Ask for a link to your work address."))
    if user is not None and not user.active:
        raise Refusal(_("This account is deactivated. Contact the Reserve helpdesk."))
    if user is None:
        if not first_name.strip() or not last_name.strip():
            raise Refusal(_("Give your first and last name."), "first_name")
        user = accounts.create_staff(None, link.email, Role.EMPLOYER, first_name, last_name,
                                     language or link.employer.language)
        audit.record(user, "employer.account_created", user, employer_id=link.employer_id)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # the link reached this address
    if link.agreement_id is not None:
        add_contact(link, user)
    else:
        # Sent by an administrator of the enterprise (invite_colleague): their approval.
        added = add_member(link.employer, user, admin=link.grants_admin,
                           actor=db.session.get(User, link.created_by_id) or user)
        joining.announce_member(link.employer, added, approved_by=link.created_by_id)
    link.used_at = utcnow()
    link.used_by_id = user.id
    audit.record(user, "employer.link_used", link, employer_id=link.employer_id,
                 agreement_id=link.agreement_id)
    db.session.flush()
    return user, link


def add_contact(link: AccessLink, user: User) -> AgreementContact:
    found = db.session.scalar(db.select(AgreementContact).where(
        AgreementContact.agreement_id == link.agreement_id,
        AgreementContact.user_id == user.id))
    if found is not None:
        return found
    contact_row = AgreementContact(agreement_id=link.agreement_id, user_id=user.id,
                                   link_id=link.id)
    db.session.add(contact_row)
    db.session.flush()
    audit.record(user, "employer.contact_added", contact_row, agreement_id=link.agreement_id,
                 employer_id=link.employer_id)
    return contact_row


def invite_colleague(actor: User, employer: Employer, email: str, *, admin: bool) -> AccessLink:
    member = membership(actor, employer.id)
    if member is None or not member.is_admin:
        raise Refusal(_("Only an administrator of the enterprise can invite colleagues."))
    email = _checked_email(email, "email")
    known = accounts.find_by_email(email)
    if known is not None and is_member(known, employer.id):
        raise Refusal(_("This colleague already has access to the enterprise."), "email")
    return send_link(employer, email, actor=actor, grants_admin=admin)


# ------------------------------------------------------------------ signing


def sign(actor: User, agreement: Agreement, *, name: str, function: str, terms_id: int,
         version: int | None = None, address: dict | None = None,
         contact: dict | None = None) -> Agreement:
    """Sign the proposed agreement under the exact terms the signer saw.

    `address` (street, house_number, box, postcode, municipality) is the enterprise's postal
    address, needed unless the enterprise has one already; `contact` (name, function) the
    person its letters are addressed to: unless given or known, the signer."""
    agreement = lock_row(Agreement, agreement.id)
    if agreement.status == AgreementStatus.SIGNED:
        raise Refusal(_("This agreement is already signed."))
    if agreement.status == AgreementStatus.PROPOSED and terms_id != agreement.terms_id:
        raise Refusal(_("The terms of this agreement changed since you opened it. Read the "
                        "new terms below and sign again."))
    name, function = (name or "").strip(), (function or "").strip()
    if not name:
        raise Refusal(_("Give your name as it should appear on the agreement."), "name")
    if not function:
        raise Refusal(_("Give your function in the company."), "function")
    if not workflow.may_act_for(agreement, actor):
        raise Refusal(_("You are not allowed to take this action."))
    employer = agreement.employer
    if address is not None or not employer.has_postal_address:
        address = enterprise.postal_address(**(address or {
            "street": None, "house_number": None, "box": None, "postcode": None,
            "municipality": None}))
    if contact is not None:
        contact = enterprise.contact_person(**contact)
    elif not employer.contact_name:
        contact = enterprise.contact_person(name=name, function=function)
    _set_postal(actor, employer, address, contact)
    # Recorded before the move, so that the letter the move issues carries the signature.
    agreement.signed_name, agreement.signed_function = name[:200], function[:200]
    agreement.signed_at = utcnow()
    agreement.signed_by_id = actor.id
    workflow.transition(agreement, "sign", actor, version=version)
    return agreement


def agreements_of_employer(employer_id: int) -> list[Agreement]:
    return list(db.session.scalars(db.select(Agreement).where(
        Agreement.employer_id == employer_id).order_by(Agreement.id.desc())))


def agreement_for_member(user: User, agreement_id: int) -> Agreement | None:
    """The agreement when the user is an HR user of its enterprise or the contact of this
    agreement; None otherwise."""
    members = db.select(EmployerUser.employer_id).where(EmployerUser.user_id == user.id)
    contacts = db.select(AgreementContact.agreement_id).where(AgreementContact.user_id == user.id)
    return db.session.scalar(db.select(Agreement).where(
        Agreement.id == agreement_id,
        or_(Agreement.employer_id.in_(members), Agreement.id.in_(contacts))))
