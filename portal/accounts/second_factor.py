"""The staff second factor: TOTP (RFC 6238) with single-use recovery codes.

Recruiters and administrators sign in with a password and then a code from an
authenticator app, or through the federal login (FAS), which is itself two-factor.
Enrolment shows a QR code (segno) of the otpauth URI; recovery codes are shown once and
stored as SHA-256 hashes (they are random, 50 bits each: no slow hash needed).
The TOTP secret cannot be hashed (codes are computed from it), so it is stored encrypted
under its own key ring, TOTP_KEYS: a database dump and a password are not enough to
produce codes. Only this module holds it in clear.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app

from portal import audit, keyring
from portal.accounts import sessions
from portal.accounts.models import RecoveryCode, User, UserSession
from portal.extensions import db
from portal.models import utcnow
from portal.security import STAFF, Role

ISSUER = "Dienstjaar"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
KEYS = keyring.KeyRing("TOTP_KEYS")


# Medical staff read special-category data, security officers vetting outcomes, unit staff
# their reservists' records: the same second factor as recruiters and administrators.
ALWAYS = frozenset(str(r) for r in (*STAFF, Role.MEDICAL_STAFF, Role.UNIT_STAFF,
                                    Role.SECURITY_OFFICER))


def required(user: User) -> bool:
    """Staff always; an employer once they chose to enrol (offered on the account page)."""
    return user.role in ALWAYS or (user.role == Role.EMPLOYER and enrolled(user))


def offered(user: User) -> bool:
    return user.role in ALWAYS or user.role == Role.EMPLOYER


def satisfied(record: UserSession | None) -> bool:
    return record is not None and (record.second_factor_at is not None or record.method == "fas")


def enrolled(user: User) -> bool:
    return user.totp_enabled_at is not None


def secret(user: User) -> str | None:
    """The clear base32 secret, or None; InvalidToken when no key of TOTP_KEYS opens it."""
    return KEYS.decrypt(user.totp_secret) if user.totp_secret else None


def set_secret(user: User, clear: str) -> None:
    """Store `clear` (base32) encrypted under the first key of TOTP_KEYS."""
    user.totp_secret = KEYS.encrypt(clear)


def pending_secret(user: User) -> str:
    """The secret being enrolled (a new one unless enrolment already began); flushes."""
    if user.totp_secret is not None and not enrolled(user):
        try:
            return secret(user)
        except keyring.InvalidToken:
            pass  # its key left TOTP_KEYS before the enrolment ended: begin again
    clear = pyotp.random_base32()
    set_secret(user, clear)
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.flush()
    return clear


def qr_data_uri(user: User) -> str:
    uri = pyotp.TOTP(secret(user)).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _normal(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normal(code).encode()).hexdigest()


def _check_totp(user: User, code: str, now: float | None = None) -> bool:
    """A current code (one step of clock drift either way), never one used before."""
    code = _normal(code)
    if not user.totp_secret or len(code) != 6 or not code.isdigit():
        return False
    try:
        clear = secret(user)
    except keyring.InvalidToken:
        # Its key left TOTP_KEYS too early: no code can match; recovery codes still work.
        current_app.logger.error("the TOTP secret of user %s opens with none of TOTP_KEYS",
                                 user.id)
        return False
    totp = pyotp.TOTP(clear)
    now = time.time() if now is None else now
    step_now = totp.timecode(now)
    for step in (step_now - 1, step_now, step_now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False  # replayed
            user.totp_last_step = step
            return True
    return False


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Turn TOTP on if `code` matches the pending secret; returns the recovery codes (to
    show once) or None. Flushes."""
    if enrolled(user) or not _check_totp(user, code):
        return None
    user.totp_enabled_at = utcnow()
    codes = new_recovery_codes(user)
    audit.record(user, "accounts.second_factor_enrolled", user)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(2))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    db.session.flush()
    return codes


def verify(user: User, code: str) -> str | None:
    """"totp" or "recovery" when `code` is good (a recovery code is used up), else None.
    Audits both outcomes; flushes."""
    method = None
    if enrolled(user) and _check_totp(user, code):
        method = "totp"
    elif enrolled(user):
        found = db.session.scalar(db.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None)))
        if found is not None:
            found.used_at = utcnow()
            method = "recovery"
    if method is None:
        audit.record(None, "accounts.second_factor_failed", user)
    else:
        audit.record(user, "accounts.second_factor", user, method=method)
    db.session.flush()
    return method


def reset(actor: User, user: User) -> None:
    """An administrator removes another account's authenticator and recovery codes (a lost
    phone): it enrols again at its next login. Its open sessions end. Flushes."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    sessions.end_all(user)
    audit.record(actor, "accounts.second_factor_reset", user)
    db.session.flush()


def mark_session(record: UserSession) -> None:
    record.second_factor_at = utcnow()
    db.session.flush()


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
