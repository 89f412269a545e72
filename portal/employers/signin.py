"""The way back into the employer space without a password: a sign-in link by e-mail.

HR contacts open their first agreement through an e-mailed link and have no password. Any
later e-mail's page asks them to log in; from there (or the login page) they ask for a link
to their address. The link is signed, lasts SIGN_IN_LINK_MINUTES, opens only after a button
press (mail scanners follow links), and works once: signing in changes the account's last
login, which the link's fingerprint covers, in one UPDATE that only the first of two
simultaneous presses can make.

A mailbox gets at most SIGN_IN_LINKS_PER_HOUR links, whoever asks from wherever. An unknown
address, or one past that cap, gets the same page after the same work (a token, a sealed
outbox row that is never sent, an audit row, a commit), as the password reset does.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select, update

from portal import audit, i18n, mail, outbox
from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.audit import AuditEvent
from portal.extensions import db
from portal.locking import lock_row
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


SENT = "employer.sign_in_link_sent"
WITHHELD = "employer.sign_in_link_withheld"


def _sent_last_hour(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == SENT, AuditEvent.object_type == "User",
        AuditEvent.object_id == str(user_id),
        AuditEvent.at > utcnow() - timedelta(hours=1)))


def send(email: str, next_path: str = "") -> None:
    """Queue a sign-in link when `email` belongs to an active employer account that had
    fewer than SIGN_IN_LINKS_PER_HOUR in the last hour; otherwise the same work for a
    stand-in that is never sent (the visitor is told the same either way). Flushes."""
    found = accounts.find_by_email(email)
    known = found is not None and found.role == Role.EMPLOYER and found.active
    # Two requests at once for one mailbox are counted one after the other.
    lock_row(User, found.id if known else 0)
    sent = _sent_last_hour(found.id if known else 0)
    stand_in = not known or sent >= current_app.config["SIGN_IN_LINKS_PER_HOUR"]
    user = found if known else User(id=0, email=accounts.normalize_email(email),
                                    role=Role.EMPLOYER, active=True, language=i18n.DEFAULT)
    token = _serializer().dumps({"u": user.id, "f": _fingerprint(user), "n": next_path})
    audit.record(None, WITHHELD if stand_in else SENT, user if known else None)
    outbox.later(user.email, "notice", user.language, SUBJECT, after_response=True,
                 stand_in=stand_in, name=user.full_name or user.email, formal=True,
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


def use(user: User) -> bool:
    """Signing in with the link: the link (and any older one) stops working. False when
    another press of a link got there first (the caller refuses this one). Flushes."""
    seen, now = user.last_login_at, utcnow()
    unchanged = (User.last_login_at.is_(None) if seen is None
                 else User.last_login_at == seen)
    if db.session.execute(update(User).where(User.id == user.id, unchanged)
                          .values(last_login_at=now)).rowcount != 1:
        return False
    audit.record(user, "accounts.login", user, method="link")
    return True
