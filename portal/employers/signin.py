"""The way back into the employer space without a password: a sign-in link by e-mail.

HR contacts open their first agreement through an e-mailed link and have no password. Any
later e-mail's page asks them to log in; from there (or the login page) they ask for a link
to their address. The link is signed, lasts SIGN_IN_LINK_MINUTES, opens only after a button
press (mail scanners follow links), and works once: signing in changes the account's last
login, which the link's fingerprint covers.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal import audit, mail, outbox
from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.extensions import db
from portal.models import utcnow
from portal.security import Role

SIGN_IN_LINK_MINUTES = 60
# TRANSLATORS: formal (to an enterprise's HR user)
SUBJECT = _l("Your link to the employer space")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="employers.sign-in")


def _fingerprint(user: User) -> str:
    state = f"{user.id}|{user.email}|{user.last_login_at}|{user.active}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"sign-in|" + state,
                    hashlib.sha256).hexdigest()[:32]


def send(email: str, next_path: str = "") -> None:
    """Queue a sign-in link when `email` belongs to an active employer account; nothing
    otherwise (the visitor is told the same either way)."""
    user = accounts.find_by_email(email)
    if user is None or user.role != Role.EMPLOYER or not user.active:
        return
    token = _serializer().dumps({"u": user.id, "f": _fingerprint(user), "n": next_path})
    audit.record(None, "employer.sign_in_link_sent", user)
    outbox.later(user.email, "notice", user.language, SUBJECT,
                 name=user.first_name or user.email,
                 # TRANSLATORS: formal (to an enterprise's HR user)
                 lines=(_l("Open this link to continue in the employer space of the Reserve "
                           "portal. It works once, for %(minutes)d minutes.",
                           minutes=SIGN_IN_LINK_MINUTES),
                        # TRANSLATORS: formal (to an enterprise's HR user)
                        _l("If you did not ask for it, ignore this e-mail.")),
                 link=mail.external_url("employers_hr.sign_in_with_link", token=token),
                 # TRANSLATORS: formal (to an enterprise's HR user)
                 link_label=_l("Open the employer space"))


def load(token: str) -> tuple[User, str] | None:
    """The account and the page to go to, or None when forged, expired or already used."""
    try:
        data = _serializer().loads(token, max_age=SIGN_IN_LINK_MINUTES * 60)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or user.role != Role.EMPLOYER:
        return None
    if not hmac.compare_digest(str(data.get("f", "")), _fingerprint(user)):
        return None
    return user, str(data.get("n") or "")


def use(user: User) -> None:
    """Signing in with the link: the link (and any older one) stops working."""
    user.last_login_at = utcnow()
    audit.record(user, "accounts.login", user, method="link")
