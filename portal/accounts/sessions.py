"""Server-side session records: start at login, check and touch on each request, end.

The session cookie carries only a random key (and Flask's own short-lived values such as
the CSRF token); whether it still signs anyone in is decided here, in the database.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from flask_login import login_user
from sqlalchemy.orm import joinedload

from portal import audit, drafts
from portal.accounts.models import User, UserSession
from portal.extensions import db
from portal.models import utcnow

# last_seen_at is written at most this often: not one UPDATE per request.
TOUCH_EVERY = timedelta(seconds=60)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def absolute_limit() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def start(user: User, method: str = "password", address: str = "",
          user_agent: str = "") -> UserSession:
    """A new session for `user` with a fresh key (its `.key`); flushes."""
    key = secrets.token_urlsafe(32)
    record = UserSession(user_id=user.id, key_hash=_hash(key), method=method,
                         address=(address or "")[:45], user_agent=(user_agent or "")[:200])
    db.session.add(record)
    db.session.flush()
    record.key = key
    user.current_session = record
    return record


def _alive(record: UserSession, now) -> bool:
    return (record.ended_at is None and now - record.last_seen_at < idle_limit()
            and now - record.created_at < absolute_limit())


def load(key: str) -> User | None:
    """The user this key signs in, or None (unknown, ended, idle, too old, disabled).
    Records the activity; a session found dead is ended for good."""
    if not key:
        return None
    # The account comes with its session in one query: this runs on every signed-in page.
    record = db.session.scalar(db.select(UserSession).options(joinedload(UserSession.user))
                               .where(UserSession.key_hash == _hash(key)))
    if record is None or record.ended_at is not None:
        return None
    now = utcnow()
    if not _alive(record, now):
        record.ended_at = now
        db.session.commit()
        return None
    user = record.user
    if not user.active:
        return None
    if now - record.last_seen_at >= TOUCH_EVERY:
        record.last_seen_at = now
        # Its own small transaction: it happens when the user is first needed, before the
        # view changes anything.
        db.session.commit()
    record.key = key
    user.current_session = record
    return user


def new_cookie(user: User) -> None:
    """Give the browser a new session cookie signing `user` in: whatever the cookie held
    before (a planted one too) is dropped, but for a form kept for this same account when
    its previous session ended."""
    kept = session.get(drafts.KEY)
    session.clear()
    login_user(user)
    drafts.hand_over(kept, user.id)


def owner(key) -> int | None:
    """The account a session key signed in, alive or not (None for an unknown key)."""
    if not isinstance(key, str) or not key:
        return None
    return db.session.scalar(db.select(UserSession.user_id)
                             .where(UserSession.key_hash == _hash(key)))


def touch(record: UserSession) -> None:
    """The user asked to stay signed in: the idle limit counts from now (flushes)."""
    record.last_seen_at = utcnow()
    db.session.flush()


def seconds_left(record: UserSession) -> int:
    """Seconds until the session ends if nothing more happens (idle or absolute limit)."""
    now = utcnow()
    left = min(record.last_seen_at + idle_limit(), record.created_at + absolute_limit()) - now
    return max(0, int(left.total_seconds()))


def end(record: UserSession | None) -> None:
    if record is not None and record.ended_at is None:
        record.ended_at = utcnow()
        db.session.flush()


def end_all(user: User, keep: UserSession | None = None) -> int:
    """End every open session of `user` (but `keep`); returns how many ended."""
    now = utcnow()
    ended = 0
    for record in active(user):
        if keep is not None and record.id == keep.id:
            continue
        record.ended_at = now
        ended += 1
    db.session.flush()
    return ended


def active(user: User) -> list[UserSession]:
    """Sessions of `user` that still sign in, newest first."""
    now = utcnow()
    records = db.session.scalars(
        db.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
               UserSession.created_at > now - absolute_limit(),
               UserSession.last_seen_at > now - idle_limit())
        .order_by(UserSession.last_seen_at.desc())
    ).all()
    return list(records)


def log_out_everywhere(user: User) -> None:
    count = end_all(user)
    audit.record(user, "accounts.logged_out_everywhere", user, sessions=count)
