"""Account rules: sign-up, verification, login, password reset, profile and staff accounts.

Functions take plain values and the actor, audit and flush; the caller commits. E-mails
are sent by the functions named send_*; call them after the commit that creates or
changes what they link to.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from stdnum.be import nn as stdnn

from portal import audit, i18n, mail, nn, outbox
from portal.accounts import sessions, tokens
from portal.accounts.models import User
from portal.accounts.passwords import hash_password, needs_rehash, verify_password
from portal.extensions import db
from portal.models import utcnow
from portal.security import Role

STAFF_ROLES = (Role.RECRUITER, Role.ADMIN, Role.EMPLOYER, Role.UNIT_STAFF, Role.MEDICAL_STAFF,
               Role.SECURITY_OFFICER)
# The roles an administrator may move a staff account between.
CHANGEABLE_ROLES = (Role.RECRUITER, Role.ADMIN, Role.UNIT_STAFF, Role.MEDICAL_STAFF,
                    Role.SECURITY_OFFICER)


class EmailTaken(Exception):
    """Another account already uses this e-mail address."""


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalize_email(email)))


def _language(code: str | None) -> str:
    return i18n.valid(code) or i18n.DEFAULT


def _add_user(user: User) -> User:
    if find_by_email(user.email) is not None:
        raise EmailTaken(user.email)
    try:
        with db.session.begin_nested():
            db.session.add(user)
            db.session.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same address won
        raise EmailTaken(user.email) from exc
    return user


def create_citizen(email: str, password: str, first_name: str, last_name: str,
                   language: str, invited: bool = False) -> User:
    """A new, unverified citizen account. Raises EmailTaken. Follow with send_verification.

    `invited`: signing up with an invitation code (the invitations domain then links the
    account to the register's person)."""
    user = _add_user(User(
        email=normalize_email(email),
        password_hash=hash_password(password),
        role=Role.CITIZEN,
        language=_language(language),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    ))
    audit.record(user, "accounts.signup", user, with_person=invited)
    return user


def create_federated_citizen(email: str, first_name: str, last_name: str, language: str,
                             fas_subject: str) -> User:
    """A citizen account opened through the federal login: no password (they sign in with
    eID or itsme), the address still to be verified. Raises EmailTaken."""
    user = _add_user(User(
        email=normalize_email(email),
        password_hash=None,
        role=Role.CITIZEN,
        language=_language(language),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        fas_subject=fas_subject,
    ))
    audit.record(user, "accounts.signup", user, federated=True)
    return user


def find_by_fas_subject(subject: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.fas_subject == subject))


def federated_login(user: User) -> User | None:
    """The account signed in through the federal login, if still active. Audits."""
    if not user.active:
        audit.record(None, "accounts.login_failed", user, reason="inactive", method="fas")
        return None
    user.last_login_at = utcnow()
    audit.record(user, "accounts.login", user, method="fas")
    return user


def create_staff(actor: User | None, email: str, role: Role | str, first_name: str = "",
                 last_name: str = "", language: str = i18n.DEFAULT,
                 password: str | None = None) -> User:
    """A staff account (recruiter, admin, employer, unit or medical staff). Without a
    password, send_set_password next."""
    role = Role(role)
    if role not in STAFF_ROLES:
        raise ValueError(f"not a staff role: {role}")
    user = _add_user(User(
        email=normalize_email(email),
        password_hash=hash_password(password) if password else None,
        role=role,
        language=_language(language),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        # Staff addresses are given by an administrator; setting the password proves them.
        email_verified_at=utcnow() if password else None,
    ))
    audit.record(actor, "accounts.staff_created", user, role=str(role),
                 with_password=password is not None)
    return user


def set_national_number(actor: User, user: User, number: str) -> None:
    """An administrator records a staff member's national register number (kept as a keyed
    hash): a federal login reaches the staff account only with this number. A federal
    identity linked under another number is unlinked. Raises ValueError for a bad number."""
    if actor.id == user.id:
        raise PermissionError("another administrator records your own number")
    compact = stdnn.compact(number or "")
    if not stdnn.is_valid(compact):
        raise ValueError("not a national register number")
    digest = nn.nn_hash(compact)
    if user.nn_hash != digest and user.fas_subject is not None:
        user.fas_subject = None
        audit.record(actor, "accounts.federated_unlinked", user, reason="number changed")
    user.nn_hash = digest
    audit.record(actor, "accounts.staff_national_number_set", user)


def unlink_federated(actor: User, user: User) -> None:
    if user.fas_subject is not None:
        user.fas_subject = None
        audit.record(actor, "accounts.federated_unlinked", user)


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (signs the account out everywhere) or reactivate an account."""
    if user.active == active:
        return
    user.active = active
    if not active:
        sessions.end_all(user)
    audit.record(actor, "accounts.deactivated" if not active else "accounts.reactivated", user)
    db.session.flush()


def change_role(actor: User, user: User, role: Role | str) -> None:
    """An administrator gives a staff account another staff role (not their own, and not
    to or from employer: an employer account belongs to its employer). Its open sessions
    end: what they were allowed to open changes. Raises ValueError."""
    role = Role(role)
    if actor.id == user.id or role not in CHANGEABLE_ROLES or user.role not in CHANGEABLE_ROLES:
        raise ValueError(f"role not changeable: {user.role} to {role}")
    if user.role == role:
        return
    old, user.role = str(user.role), role
    sessions.end_all(user)
    audit.record(actor, "accounts.role_changed", user, before=old, after=str(role))
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    """The account for these credentials, or None. Unknown e-mail and wrong password cost
    the same and look the same. Audits both outcomes; rehashes an outdated hash."""
    user = find_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        reason = "unknown" if user is None else ("inactive" if ok else "password")
        audit.record(None, "accounts.login_failed", user, reason=reason)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record(user, "accounts.login", user)
    return user


def logout(user: User) -> None:
    """End this session: its cookie (and any copy of it) stops working."""
    sessions.end(user.current_session)
    audit.record(user, "accounts.logout", user)
    db.session.flush()


def verify_email(token: str) -> User | None:
    """Mark the address verified if the token is valid; None for a bad, old or used link."""
    user = tokens.load(tokens.VERIFY, token)
    if user is None or user.email_verified_at is not None:
        return None
    user.email_verified_at = utcnow()
    audit.record(user, "accounts.email_verified", user)
    db.session.flush()
    return user


def user_for_reset(token: str) -> User | None:
    return tokens.load(tokens.RESET, token)


def reset_password(token: str, new_password: str) -> User | None:
    """Set a new password from an e-mailed link; the link then stops working, and so do
    all sessions. Following the link proves the address, so it counts as verified."""
    user = tokens.load(tokens.RESET, token)
    if user is None:
        return None
    user.password_hash = hash_password(new_password)
    sessions.end_all(user)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    audit.record(user, "accounts.password_reset", user)
    db.session.flush()
    return user


def change_password(user: User, current: str, new_password: str) -> bool:
    """False when `current` is wrong. The account's other sessions end; this one goes on."""
    if not verify_password(user.password_hash, current):
        return False
    user.password_hash = hash_password(new_password)
    sessions.end_all(user, keep=user.current_session)
    audit.record(user, "accounts.password_changed", user)
    db.session.flush()
    return True


def update_profile(user: User, first_name: str, last_name: str, language: str) -> None:
    changed = sorted(
        name for name, value in (("first_name", first_name.strip()),
                                 ("last_name", last_name.strip()),
                                 ("language", _language(language)))
        if getattr(user, name) != value
    )
    if not changed:
        return
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.language = _language(language)
    audit.record(user, "accounts.profile_updated", user, fields=changed)
    db.session.flush()


def change_email(user: User, current_password: str, new_email: str) -> str | None:
    """Move the account to a new address, which must be verified again. Returns the old
    address (to warn it), or None when the password is wrong. Raises EmailTaken."""
    if not verify_password(user.password_hash, current_password):
        return None
    new_email = normalize_email(new_email)
    if new_email == user.email:
        return user.email
    other = find_by_email(new_email)
    if other is not None:
        raise EmailTaken(new_email)
    old = user.email
    user.email = new_email
    user.email_verified_at = None
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise EmailTaken(new_email) from exc
    audit.record(user, "accounts.email_changed", user)
    return old


# --- e-mails (call after the commit) ------------------------------------------------------

def send_verification(user: User) -> None:
    """The 'confirm your e-mail address' message with a signed, single-use link."""
    link = mail.external_url("accounts.verify_email", token=tokens.make(tokens.VERIFY, user))
    outbox.send_to_user(user, "verify", _l("Confirm your e-mail address"), link=link,
                         hours=tokens.max_age() // 3600)


def send_password_reset(email: str) -> None:
    """A reset link if an active account has this address, in the outbox of this
    transaction and sent after the response; nothing otherwise (the caller shows the same
    page either way). An unknown address does the same work: a token, a sealed outbox row
    and its commit, for a stand-in that is deleted instead of sent (no trace of the
    address is kept)."""
    user = find_by_email(email)
    stand_in = user is None or not user.active
    if stand_in:
        user = User(id=0, email=normalize_email(email), password_hash="", active=True,
                    language=i18n.DEFAULT)
    link = mail.external_url("accounts.reset_with_token", token=tokens.make(tokens.RESET, user))
    outbox.later(user.email, "reset", user.language, _l("Reset your password"),
                 after_response=True, stand_in=stand_in, user=user, link=link,
                 hours=tokens.max_age() // 3600)


def send_guessing_alert(email: str) -> None:
    """Tell the owner, once per run, that many wrong passwords were tried on the account
    (after the commit and the response); nothing for an address without an account."""
    user = find_by_email(email)
    if user is None or not user.active:
        return
    outbox.later(user.email, "login_guessing", user.language,
                 _l("Many wrong passwords were tried on your account"), after_response=True,
                 user=user, reset_link=mail.external_url("accounts.forgot_password"),
                 account_link=mail.external_url("accounts.account"))


def send_set_password(user: User) -> None:
    """For a new staff account: choose a password through a reset link."""
    link = mail.external_url("accounts.reset_with_token", token=tokens.make(tokens.RESET, user))
    outbox.send_to_user(user, "set_password", _l("Your account on the service year portal"),
                         link=link, hours=tokens.max_age() // 3600, role=str(user.role))


def send_account_exists(email: str) -> None:
    """Sign-up with an address that already has an account: tell its owner, not the visitor."""
    user = find_by_email(email)
    if user is None:
        return
    outbox.send_to_user(user, "account_exists", _l("You already have an account"),
                         login_link=mail.external_url("accounts.login"),
                         reset_link=mail.external_url("accounts.forgot_password"))


def send_email_changed(user: User, old_email: str) -> None:
    """Warn the previous address that the account moved to another one."""
    outbox.send(old_email, "email_changed", user.language,
                _l("The e-mail address of your account was changed"), user=user)
