"""Health data at rest: the health step's answers and the medical test's reason, encrypted
with the key ring HEALTH_DATA_KEYS (portal/keyring.py: the first key encrypts, all decrypt).

Only this module turns them into clear text; who may ask is decided next to the query in
the medical room (applications/medical/) and in the citizen's own pages and export.
"""
from __future__ import annotations

import json

from portal.keyring import InvalidToken, KeyRing

KEYS = KeyRing("HEALTH_DATA_KEYS")


def encrypt_text(text: str) -> str:
    return KEYS.encrypt(text)


def decrypt_text(token: str) -> str:
    """Clear text of a stored token; InvalidToken when no configured key opens it."""
    return KEYS.decrypt(token)


def encrypt_answers(answers: dict | None) -> str | None:
    if not answers:
        return None
    return encrypt_text(json.dumps(answers, sort_keys=True))


def decrypt_answers(token: str | None) -> dict:
    if not token:
        return {}
    data = json.loads(decrypt_text(token))
    return data if isinstance(data, dict) else {}


__all__ = ["KEYS", "InvalidToken", "decrypt_answers", "decrypt_text", "encrypt_answers",
           "encrypt_text"]
