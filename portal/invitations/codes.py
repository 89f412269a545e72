"""Invitation codes: 60 random bits in Crockford base32, grouped, with a check character.

The check character makes the whole code a word of a Damm-style quasigroup over GF(32)
(x * y = 2x + y): every single wrong character and every swap of two adjacent different
characters changes the result, so a mistyped code is refused before any lookup.
Only a keyed hash of a code is ever stored.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# Crockford's confusables: what people type for what we print.
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})
DATA_LENGTH = 12  # 12 x 5 = 60 bits
GROUP = 4


def _times2(x: int) -> int:
    """Multiply by the generator in GF(2^5) modulo x^5 + x^2 + 1."""
    x <<= 1
    return x ^ 0b100101 if x & 0b100000 else x


def _state(values) -> int:
    state = 0
    for v in values:
        state = _times2(state) ^ v
    return state


def check_char(data: str) -> str:
    """The character that brings the quasigroup state of `data` back to zero."""
    return ALPHABET[_times2(_state(_VALUE[c] for c in data))]


def _format(raw: str) -> str:
    return "-".join(raw[i:i + GROUP] for i in range(0, len(raw), GROUP))


def generate() -> str:
    """A new code, e.g. 7K3M-9Q2X-B4HD-R."""
    data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return _format(data + check_char(data))


def normalize(text: str | None) -> str | None:
    """The printed form of what someone typed, or None if it cannot be a valid code.

    Accepts lower case, spaces and dashes anywhere, and I/L for 1, O for 0.
    """
    if not text:
        return None
    raw = "".join(text.split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(raw) != DATA_LENGTH + 1 or any(c not in _VALUE for c in raw):
        return None
    if _state(_VALUE[c] for c in raw) != 0:
        return None
    return _format(raw)


def _key() -> bytes:
    key = current_app.config.get("CODE_HASH_KEY")
    if key:
        return key.encode()
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"dienstjaar invitation codes", hashlib.sha256).digest()


def hash_code(code: str) -> str:
    """Keyed hash (HMAC-SHA256) of a code, in any accepted spelling; what the database keeps."""
    printed = normalize(code)
    if printed is None:
        raise ValueError("not a valid invitation code")
    return hmac.new(_key(), printed.replace("-", "").encode(), hashlib.sha256).hexdigest()
