"""Login throttling while its shared store (Redis) is down.

Flask-Limiter keeps the counters in Redis when REDIS_URL is set. When Redis stops answering
it counts in this process's memory instead (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED) with the
same limits and keys, and goes back to Redis by itself once a ping answers again: citizens
can still log in, and a password-guessing run is still stopped, per process. Staff accounts,
whose passwords open many people's data, may not log in at all meanwhile (fail closed).
"""
from __future__ import annotations

from flask import current_app

from portal.accounts.services import STAFF_ROLES
from portal.extensions import limiter

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
