"""Login throttling: a ceiling per account, and what happens while the shared store of the
per-address limits (Redis) is down.

Per account (any address): Flask-Limiter stops one address, but guesses spread over many
addresses are counted here, in the database, by a keyed digest of the address typed (known
or not: both are counted alike, so the refusal tells nothing). Past
LOGIN_ACCOUNT_FREE_FAILURES each further try waits longer after the last failure, doubling
up to LOGIN_ACCOUNT_MAX_DELAY_SECONDS: slowed, never locked (a reset link always works),
and the owner is e-mailed once.

Flask-Limiter keeps the counters in Redis when REDIS_URL is set. When Redis stops answering
it counts in this process's memory instead (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED) with the
same limits and keys, and goes back to Redis by itself once a ping answers again: citizens
can still log in, and a password-guessing run is still stopped, per process. Staff accounts,
whose passwords open many people's data, may not log in at all meanwhile (fail closed).
"""
from __future__ import annotations

import hashlib
import hmac
import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import AccountGuesses
from portal.accounts.services import STAFF_ROLES, normalize_email
from portal.extensions import db, limiter
from portal.models import utcnow

SHARED_SCHEMES = ("redis", "rediss", "redis+sentinel", "redis+cluster", "memcached",
                  "mongodb", "valkey")


def shared() -> bool:
    """Whether the counters are meant to be shared by every process (not memory://)."""
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    return uri.split(":", 1)[0] in SHARED_SCHEMES


def shared_store_down() -> bool:
    """True when the counters should be shared but their store does not answer now."""
    return shared() and not limiter.storage.check()


def refuses(user) -> bool:
    """Whether this account's login is refused now: a staff account during an outage of
    the shared counters (a citizen goes on, under the per-process limit)."""
    return (user is not None and user.role in {str(r) for r in STAFF_ROLES}
            and shared_store_down())


# --- the ceiling per account ---------------------------------------------------------------

def _key(email: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"login|" + normalize_email(email).encode(),
                    hashlib.sha256).hexdigest()


def _window() -> timedelta:
    return timedelta(hours=current_app.config["LOGIN_ACCOUNT_WINDOW_HOURS"])


def delay_after(failures: int) -> int:
    """Seconds a try must wait after the last of `failures` failures (0: no wait)."""
    free = current_app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    if failures < free:
        return 0
    first = current_app.config["LOGIN_ACCOUNT_DELAY_SECONDS"]
    bound = current_app.config["LOGIN_ACCOUNT_MAX_DELAY_SECONDS"]
    return min(first * 2 ** min(failures - free, 30), bound)


def account_wait(email: str) -> int:
    """Seconds before this account name may be tried again (0: now)."""
    row = db.session.get(AccountGuesses, _key(email), populate_existing=True)
    now = utcnow()
    if row is None or now - row.last_failure_at > _window():
        return 0
    left = row.last_failure_at + timedelta(seconds=delay_after(row.failures)) - now
    return max(math.ceil(left.total_seconds()), 0)


def count_failure(email: str) -> bool:
    """Count a failed login for this account name (flushes, the caller commits). True
    when the ceiling is reached for the first time in this run: tell the owner now."""
    key, now = _key(email), utcnow()
    # A run ends a window after its last failure; old runs of any name go with it.
    db.session.execute(delete(AccountGuesses).where(
        AccountGuesses.last_failure_at < now - _window())
        .execution_options(synchronize_session=False))
    bump = (update(AccountGuesses).where(AccountGuesses.key == key)
            .values(failures=AccountGuesses.failures + 1, last_failure_at=now)
            .execution_options(synchronize_session=False))
    if not db.session.execute(bump).rowcount:
        try:
            with db.session.begin_nested():
                db.session.add(AccountGuesses(key=key, failures=1, last_failure_at=now))
        except IntegrityError:  # a simultaneous first failure made the row
            db.session.execute(bump)
    free = current_app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    alert = db.session.execute(
        update(AccountGuesses).where(AccountGuesses.key == key,
                                     AccountGuesses.failures >= free,
                                     AccountGuesses.alerted_at.is_(None))
        .values(alerted_at=now).execution_options(synchronize_session=False)).rowcount
    return bool(alert)


def forget(email: str) -> None:
    """A successful login or a password reset ends the run (flushes)."""
    db.session.execute(delete(AccountGuesses).where(AccountGuesses.key == _key(email))
                       .execution_options(synchronize_session=False))
