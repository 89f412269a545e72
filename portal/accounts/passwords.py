"""Password hashing with Argon2."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context
from flask_babel import gettext as _

# Argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane): about 20 ms of one
# core per hash. Configurable (PASSWORD_HASH_*); a stored hash made with other parameters
# is replaced at the next successful login.
DEFAULT_PARAMETERS = (19456, 2, 1)


def _parameters() -> tuple[int, int, int]:
    if not has_app_context():
        return DEFAULT_PARAMETERS
    config = current_app.config
    return (config.get("PASSWORD_HASH_MEMORY_KIB", DEFAULT_PARAMETERS[0]),
            config.get("PASSWORD_HASH_TIME_COST", DEFAULT_PARAMETERS[1]),
            config.get("PASSWORD_HASH_PARALLELISM", DEFAULT_PARAMETERS[2]))


@lru_cache(maxsize=4)
def _hasher(parameters: tuple[int, int, int]) -> tuple[PasswordHasher, str]:
    """The hasher for these parameters and a hash it made, verified when an e-mail is
    unknown so that a wrong address costs as much time as a wrong password."""
    memory, passes, lanes = parameters
    hasher = PasswordHasher(time_cost=passes, memory_cost=memory, parallelism=lanes)
    return hasher, hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher(_parameters())[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher, dummy = _hasher(_parameters())
    try:
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher(_parameters())[0].check_needs_rehash(password_hash)


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
