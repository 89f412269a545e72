"""Whether it is the account holder at the keyboard: their password, or, for an account that
has no password to type (it signs in through the federal login only), a code mailed to its
address. The erasure, the download of all one's data and the confirmation before sensitive
account changes (accounts.reauth) all ask through here.

The session keeps only a keyed digest of the code, bound to the account and to this login
session, and its expiry: the signed cookie shows nothing that gives the code away.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from flask import current_app, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import outbox
from portal.accounts.passwords import verify_password

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from a phone
SESSION_KEY = "privacy.erase_code"


def _digest(user, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    session_id = user.current_session.id if user.current_session is not None else 0
    message = f"erase|{user.id}|{session_id}|{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _normal(code: str) -> str:
    return "".join(c for c in (code or "").upper() if c in ALPHABET)


def new(user) -> tuple[str, dict]:
    """A fresh code (as mailed: two groups of four characters) and what the session keeps
    of it."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    minutes = current_app.config["ERASURE_CODE_MINUTES"]
    return f"{raw[:4]}-{raw[4:]}", {"digest": _digest(user, raw),
                                    "until": time.time() + minutes * 60}


def matches(user, kept: dict | None, typed: str) -> bool:
    """Whether `typed` is the code of `kept` (this account, this session, not expired)."""
    if not kept or time.time() > float(kept.get("until", 0)):
        return False
    return hmac.compare_digest(str(kept.get("digest", "")), _digest(user, _normal(typed)))


def it_is_them(user, form, by_code: bool) -> bool:
    """The account holder confirmed: the password (`form.current_password`), or, for an
    account without one, the code mailed to its address (`form.code`). A wrong one is put
    next to its field."""
    if by_code:
        if matches(user, session.get(SESSION_KEY), form.code.data):
            session.pop(SESSION_KEY, None)
            return True
        form.code.errors.append(_("This code is not right or no longer valid. Ask for a new "
                                  "one."))
        return False
    if user.password_hash is not None and verify_password(user.password_hash,
                                                          form.current_password.data):
        return True
    form.current_password.errors.append(_("This password is not right."))
    return False


SUBJECTS = {"erase": _l("Your code to erase your account"),
            "export": _l("Your code to download your data"),
            "confirm": _l("Your code to confirm it is you")}


def send(user, code: str, purpose: str = "erase") -> None:
    outbox.send_to_user(user, "erasure_code", SUBJECTS[purpose], code=code, purpose=purpose,
                         minutes=current_app.config["ERASURE_CODE_MINUTES"])
