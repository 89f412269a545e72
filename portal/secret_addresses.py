"""Addresses that are their own key, such as the private calendar feeds: an unguessable token
shown once to whoever made it (sealed across the redirect to the page that shows it), only
its SHA-256 stored, read by calendar apps without signing in, each address throttled on its
own. Imports no domain: a domain hands its model (with token_hash, revoked_at and
last_fetched_at) and its own purpose."""
from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, request

from portal.extensions import db, limiter
from portal.models import utcnow

READ_NOTED_EVERY = timedelta(minutes=10)
SHOWN_WITHIN = timedelta(minutes=10)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Kind:
    """One kind of secret address: its model (token_hash, revoked_at, last_fetched_at), the
    purpose its sealing is bound to (so that one kind is never unsealed as another) and the
    prefix of its throttle keys."""

    model: Any
    purpose: str
    throttle_prefix: str = ""

    def find(self, token: str):
        """The live address of this token; None for unknown or stopped tokens (a 404)."""
        if not token or len(token) > 100:
            return None
        return db.session.scalar(db.select(self.model).where(
            self.model.token_hash == hash_of(token), self.model.revoked_at.is_(None)))

    def _fernet(self) -> Fernet:
        secret = current_app.secret_key
        secret = secret.encode() if isinstance(secret, str) else secret
        key = hashlib.sha256(f"{self.purpose}: address in the session\0".encode()
                             + secret).digest()
        return Fernet(base64.urlsafe_b64encode(key))

    def seal(self, token: str) -> str:
        """The fresh token as it crosses the redirect to the page that shows it: the session
        cookie is signed, not encrypted, and may be kept or logged on the way."""
        return self._fernet().encrypt(token.encode()).decode("ascii")

    def unseal(self, sealed: str) -> str | None:
        """The token of `seal`, if sealed here within the last SHOWN_WITHIN; else None."""
        try:
            return self._fernet().decrypt(sealed.encode("ascii"),
                                          ttl=int(SHOWN_WITHIN.total_seconds())).decode()
        except (InvalidToken, ValueError, AttributeError):
            return None

    def throttle_key(self, token: str) -> str:
        """What the rate limit counts one address under: part of its hash, as Flask-Limiter
        writes the key of a limit it enforces to the log."""
        return self.throttle_prefix + hash_of(token)[:16]

    def throttled(self, scope: str):
        """The limits of a view that serves an address: each address at its own rate
        (calendar apps of many people share a few servers' addresses, RESERVE_FEED_LIMIT);
        unknown or stopped addresses per client address (RESERVE_FEED_MISS_LIMIT), so
        guessing stops but a live address never does."""
        def token() -> str:
            return (request.view_args or {}).get("token", "")

        def decorate(view):
            view = limiter.limit(lambda: current_app.config["RESERVE_FEED_MISS_LIMIT"],
                                 scope=f"{scope}-miss",
                                 exempt_when=lambda: self.find(token()) is not None)(view)
            return limiter.limit(lambda: current_app.config["RESERVE_FEED_LIMIT"],
                                 key_func=lambda: self.throttle_key(token()), scope=scope)(view)

        return decorate


def mark_read(item) -> None:
    """Note when a calendar app last read the address (shown to its owners), at most once
    every few minutes so that polling does not write on every read."""
    now = utcnow()
    if item.last_fetched_at is None or now - item.last_fetched_at > READ_NOTED_EVERY:
        item.last_fetched_at = now
        db.session.flush()


def webcal(https: str) -> str:
    """The webcal:// form of an address: it opens a calendar app's subscribe dialog."""
    return "webcal://" + https.split("://", 1)[1]


def response(body: bytes | str, mimetype: str, filename: str):
    """What an address serves: never cached, indexed or passed on as a referrer."""
    served = current_app.response_class(body, mimetype=mimetype)
    served.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    served.headers["Cache-Control"] = "private, max-age=0, no-store"
    served.headers["Referrer-Policy"] = "no-referrer"
    served.headers["X-Robots-Tag"] = "noindex, nofollow"
    return served
