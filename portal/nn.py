"""Keyed hashes of national register numbers: kept in place of the number wherever a record
only needs to recognise a person again (register persons, staff records)."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def _nn_key() -> bytes:
    key = current_app.config.get("NN_HASH_KEY")
    if key:
        return key.encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"nn-hash", hashlib.sha256).digest()


def nn_hasher():
    """A function national number -> keyed hash, with the key looked up once (for bulk use)."""
    key = _nn_key()

    def digest(national_number: str) -> str:
        return hmac.new(key, national_number.encode(), hashlib.sha256).hexdigest()

    return digest


def nn_hash(national_number: str) -> str:
    """The keyed hash (HMAC-SHA256, hex) of an 11-digit national register number."""
    return nn_hasher()(national_number)
