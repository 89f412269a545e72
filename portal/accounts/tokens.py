"""Signed, expiring, single-use tokens for e-mailed links (verification, password reset).

A token carries the user id and a fingerprint of the state it may change: the e-mail
address and its verification for `verify`, the password hash for `reset`. Using the link
changes that state, so the same link then fails; so does any older link of that kind.
The fingerprint is a keyed digest: the token is signed, not encrypted, and must not
reveal the password hash.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from portal.accounts.models import User
from portal.extensions import db

VERIFY = "verify"
RESET = "reset"
PURPOSES = (VERIFY, RESET)


def serializer(purpose: str, signer: type[TimestampSigner] = TimestampSigner):
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"accounts.{purpose}", signer=signer
    )


def _state(purpose: str, user) -> str:
    if purpose == VERIFY:
        verified = user.email_verified_at.isoformat() if user.email_verified_at else ""
        return f"{user.email}|{verified}"
    return f"{user.email}|{user.password_hash or ''}|{user.active}"


def fingerprint(purpose: str, user) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"{purpose}|{user.id}|{_state(purpose, user)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def payload(purpose: str, user) -> dict:
    return {"u": user.id, "f": fingerprint(purpose, user)}


def make(purpose: str, user) -> str:
    return serializer(purpose).dumps(payload(purpose, user))


def max_age() -> int:
    return int(current_app.config["TOKEN_MAX_AGE_HOURS"]) * 3600


def load(purpose: str, token: str):
    """The user the token was made for, or None when it is forged, expired or already used."""
    try:
        data = serializer(purpose).loads(token, max_age=max_age())
    except BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(str(data.get("f", "")), fingerprint(purpose, user)):
        return None
    return user
