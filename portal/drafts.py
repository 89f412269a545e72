"""What a visitor typed into a form whose CSRF token had expired, kept to fill it in again.

Kept server-side, sealed under HEALTH_DATA_KEYS (a step may hold health answers), for one
redirect: the session cookie, which is signed but not encrypted, carries only a random key.
Passwords and national register numbers are never kept. A draft not taken back within
DRAFT_MINUTES is deleted (by the next draft kept, and by the retention purge).
"""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta

from flask import current_app, request, session
from flask_login import current_user
from sqlalchemy import ForeignKey, String, Text, delete
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from portal.extensions import db
from portal.keyring import InvalidToken, KeyRing
from portal.models import UTCDateTime, utcnow

KEY = "form_draft"
NEVER_KEPT = ("csrf_token", "national_number")
MAX_CHARS = 20_000
DRAFT_MINUTES = 60
KEYS = KeyRing("HEALTH_DATA_KEYS")


class FormDraft(db.Model):
    __tablename__ = "form_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The account it was typed under, if any: erasure deletes its drafts with it.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    fields: Mapped[str] = mapped_column(Text)  # a Fernet token of the JSON field list
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def kept(view):
    """Mark a view whose GET fills its form in again from `take()`."""
    view.keeps_drafts = True
    return view


def purge(cutoff: datetime | None = None) -> int:
    """Delete drafts older than `cutoff` (default: DRAFT_MINUTES ago); flushes."""
    cutoff = cutoff or utcnow() - timedelta(minutes=DRAFT_MINUTES)
    return db.session.execute(delete(FormDraft).where(FormDraft.created_at < cutoff)
                              .execution_options(synchronize_session=False)).rowcount


def keep() -> str | None:
    """Keep the posted fields for the same page's GET (commits); returns that page's path,
    or None when the view does not take drafts back, or there is nothing to keep."""
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "keeps_drafts", False):
        return None
    adapter = request.url_rule and request.url_rule.map.bind("")
    try:
        adapter.match(request.path, method="GET")
    except (HTTPException, AttributeError):
        return None
    fields = [(k, v) for k, v in request.form.items(multi=True)
              if k not in NEVER_KEPT and "password" not in k]
    if not fields or sum(len(k) + len(v) for k, v in fields) > MAX_CHARS:
        return None
    key = secrets.token_urlsafe(24)
    db.session.rollback()  # nothing of the refused request goes with it
    purge()
    db.session.add(FormDraft(
        key_hash=_hash(key), path=request.path[:500], fields=KEYS.encrypt(json.dumps(fields)),
        user_id=current_user.id if current_user.is_authenticated else None))
    db.session.commit()
    session[KEY] = key
    return request.path


def take() -> MultiDict | None:
    """The fields kept for this page, once (the draft is deleted as it is read)."""
    key = session.get(KEY)
    if not isinstance(key, str):
        return None
    draft = db.session.scalar(db.select(FormDraft).where(FormDraft.key_hash == _hash(key)))
    if draft is None or draft.path != request.path:
        return None
    session.pop(KEY)
    db.session.delete(draft)
    db.session.commit()
    if draft.created_at < utcnow() - timedelta(minutes=DRAFT_MINUTES):
        return None
    try:
        fields = json.loads(KEYS.decrypt(draft.fields))
    except InvalidToken:  # sealed under a key since dropped: nothing to give back
        return None
    return MultiDict([tuple(pair) for pair in fields])
