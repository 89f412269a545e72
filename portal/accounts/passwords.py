"""Password hashing with Argon2."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import gettext as _

_hasher = PasswordHasher()
# Hashed when an e-mail is unknown, so that a wrong address costs as much time as a wrong password.
_DUMMY = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


MIN_LENGTH = 12
MAX_LENGTH = 128


def policy_problem(password: str, email: str | None = None):
    """A translated reason why this password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)s characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)s characters.", n=MAX_LENGTH)
    if email:
        lowered = password.casefold()
        local = email.split("@", 1)[0].casefold()
        if email.casefold() in lowered or (len(local) >= 4 and local in lowered):
            return _("Do not use your e-mail address in your password.")
    if len(set(password)) < 4:
        return _("This password is too easy to guess.")
    return None
