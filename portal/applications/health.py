"""Health data at rest: the health step's answers and the medical test's reason, encrypted
with the keys of HEALTH_DATA_KEYS (MultiFernet: the first key encrypts, all decrypt).

Only this module turns them into clear text; who may ask is decided next to the query in
the medical room (applications/medical/) and in the citizen's own pages and export.
"""
from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

_CACHE = "portal.health_fernet"


def _keys(config_value: str | list | tuple) -> list[str]:
    if isinstance(config_value, str):
        return [k.strip() for k in config_value.split(",") if k.strip()]
    return [str(k).strip() for k in config_value if str(k).strip()]


def fernet_for(config_value) -> MultiFernet:
    keys = _keys(config_value)
    if not keys:
        raise RuntimeError("HEALTH_DATA_KEYS holds no key.")
    return MultiFernet([Fernet(k) for k in keys])


def _fernet() -> MultiFernet:
    value = current_app.config["HEALTH_DATA_KEYS"]
    cached = current_app.extensions.get(_CACHE)
    if cached is None or cached[0] != value:
        cached = (value, fernet_for(value))
        current_app.extensions[_CACHE] = cached
    return cached[1]


def encrypt_text(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    """Clear text of a stored token; InvalidToken when no configured key opens it."""
    return _fernet().decrypt(token.encode("ascii")).decode()


def encrypt_answers(answers: dict | None) -> str | None:
    if not answers:
        return None
    return encrypt_text(json.dumps(answers, sort_keys=True))


def decrypt_answers(token: str | None) -> dict:
    if not token:
        return {}
    data = json.loads(decrypt_text(token))
    return data if isinstance(data, dict) else {}


def rotate(token: str) -> str:
    """The same clear text under the first key (unchanged when it already is)."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def encrypted_under_first_key(token: str) -> bool:
    first = Fernet(_keys(current_app.config["HEALTH_DATA_KEYS"])[0])
    try:
        first.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


__all__ = ["InvalidToken", "decrypt_answers", "decrypt_text", "encrypt_answers",
           "encrypt_text", "encrypted_under_first_key", "fernet_for", "rotate"]
