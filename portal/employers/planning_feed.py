"""An enterprise's private planning address: the iCalendar (and CSV) of its reservists'
training periods for the next months, for a calendar app to subscribe to. The token is
shown once to the HR user who made it (sealed across the redirect) and only its SHA-256 is
stored; any HR user of the enterprise may stop it or make a new one (the old one then
stops). What it serves is planning.rows of that one enterprise, nothing else."""
from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask_babel import gettext as _

from portal import audit, mail
from portal.employers.members import is_member
from portal.employers.models import Employer, PlanningFeed
from portal.extensions import db
from portal.models import utcnow
from portal.refusals import Refusal

READ_NOTED_EVERY = timedelta(minutes=10)
SHOWN_WITHIN = timedelta(minutes=10)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current(employer_id: int) -> PlanningFeed | None:
    return db.session.scalar(db.select(PlanningFeed).where(
        PlanningFeed.employer_id == employer_id, PlanningFeed.revoked_at.is_(None)))


def _member_only(actor, employer: Employer) -> None:
    if not is_member(actor, employer.id):
        raise Refusal(_("You are not allowed to take this action."))


def renew(actor, employer: Employer) -> str:
    """Stop the enterprise's current address (if any) and make a new one; returns its token.
    Flushes."""
    _member_only(actor, employer)
    old = current(employer.id)
    if old is not None:
        old.revoked_at = utcnow()
        db.session.flush()
    token = secrets.token_urlsafe(32)
    feed = PlanningFeed(employer_id=employer.id, token_hash=_hash(token),
                        created_by_id=actor.id)
    db.session.add(feed)
    db.session.flush()
    audit.record(actor, "employer.planning_feed_renewed", feed, employer_id=employer.id,
                 replaced=old.id if old is not None else None)
    return token


def revoke(actor, employer: Employer) -> bool:
    _member_only(actor, employer)
    feed = current(employer.id)
    if feed is None:
        return False
    feed.revoked_at = utcnow()
    db.session.flush()
    audit.record(actor, "employer.planning_feed_revoked", feed, employer_id=employer.id)
    return True


def find(token: str) -> PlanningFeed | None:
    """The live address of this token; None for unknown or stopped tokens (a 404)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(db.select(PlanningFeed).where(
        PlanningFeed.token_hash == _hash(token), PlanningFeed.revoked_at.is_(None)))


@dataclass(frozen=True)
class Address:
    """A fresh address as the HR user subscribes to it: https (Outlook, Google), webcal://
    (opens a calendar app's subscribe dialog) and the same planning as CSV."""

    https: str
    webcal: str
    csv: str

    @classmethod
    def of(cls, token: str) -> Address:
        https = mail.external_url("employers_feed.feed_ics", token=token)
        return cls(https=https, webcal="webcal://" + https.split("://", 1)[1],
                   csv=mail.external_url("employers_feed.feed_csv", token=token))


def _fernet() -> Fernet:
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    key = hashlib.sha256(b"portal.employers.planning_feed: address in the session\0"
                         + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(token: str) -> str:
    """The fresh token as it crosses the redirect (the session cookie is signed only)."""
    return _fernet().encrypt(token.encode()).decode("ascii")


def unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode("ascii"),
                                 ttl=int(SHOWN_WITHIN.total_seconds())).decode()
    except (InvalidToken, ValueError, AttributeError):
        return None


def throttle_key(token: str) -> str:
    return "employer-" + _hash(token)[:16]


def mark_read(feed: PlanningFeed) -> None:
    """When a calendar app last read it (shown to the HR users), at most every few minutes."""
    now = utcnow()
    if feed.last_fetched_at is None or now - feed.last_fetched_at > READ_NOTED_EVERY:
        feed.last_fetched_at = now
        db.session.flush()
