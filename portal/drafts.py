"""What a visitor typed into a form that could not be sent (its CSRF token had expired, or
the signed-in session had ended), kept to fill the form in again.

Kept server-side, sealed under HEALTH_DATA_KEYS (a step may hold health answers), for one
redirect: the session cookie, which is signed but not encrypted, carries only a random key.
A draft typed under an account goes back to that account only, also across a new login.
Passwords and national register numbers are never kept. A draft not taken back within
DRAFT_MINUTES is deleted (by the next draft kept, and by the retention purge).
"""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta

from flask import current_app, flash, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ForeignKey, String, Text, delete
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from portal.extensions import db
from portal.keyring import InvalidToken, KeyRing
from portal.models import UTCDateTime, utcnow

KEY = "form_draft"
# Set when a draft was handed over at login: the page that takes it says so.
RESUMED = "form_draft_resumed"
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


def kept(view=None, *, page: str | None = None):
    """Mark a view whose GET fills its form in again from `take()`; a view that only takes
    POSTs names the endpoint of its form's page (`@kept(page="...")`, same arguments)."""

    def mark(view):
        view.keeps_drafts = page or True
        return view

    return mark(view) if view is not None else mark


def purge(cutoff: datetime | None = None) -> int:
    """Delete drafts older than `cutoff` (default: DRAFT_MINUTES ago); flushes."""
    cutoff = cutoff or utcnow() - timedelta(minutes=DRAFT_MINUTES)
    return db.session.execute(delete(FormDraft).where(FormDraft.created_at < cutoff)
                              .execution_options(synchronize_session=False)).rowcount


def page_of_form() -> str | None:
    """The path of the page whose form this request posts, if its view keeps drafts."""
    view = current_app.view_functions.get(request.endpoint or "")
    marker = getattr(view, "keeps_drafts", False)
    if isinstance(marker, str):
        return url_for(marker, **(request.view_args or {}))
    if not marker:
        return None
    adapter = request.url_rule and request.url_rule.map.bind("")
    try:
        adapter.match(request.path, method="GET")
    except (HTTPException, AttributeError):
        return None
    return request.path


def keep(user_id: int | None = None) -> str | None:
    """Keep the posted fields for their page's GET (commits); returns that page's path,
    or None when the view does not take drafts back, or there is nothing to keep. The
    draft belongs to the signed-in account, or to `user_id` (the account whose session
    has just ended): only that account gets it back."""
    path = page_of_form()
    if path is None:
        return None
    fields = [(k, v) for k, v in request.form.items(multi=True)
              if k not in NEVER_KEPT and "password" not in k]
    if not fields or sum(len(k) + len(v) for k, v in fields) > MAX_CHARS:
        return None
    key = secrets.token_urlsafe(24)
    db.session.rollback()  # nothing of the refused request goes with it
    purge()
    if current_user.is_authenticated:
        user_id = current_user.id
    db.session.add(FormDraft(
        key_hash=_hash(key), path=path[:500], fields=KEYS.encrypt(json.dumps(fields)),
        user_id=user_id))
    db.session.commit()
    session[KEY] = key
    return path


def _find(key) -> FormDraft | None:
    if not isinstance(key, str):
        return None
    return db.session.scalar(db.select(FormDraft).where(FormDraft.key_hash == _hash(key)))


def hand_over(key, user_id: int) -> None:
    """At a login that gave the browser a new cookie: a draft kept under `key` follows the
    new cookie only when it was typed under the account now signed in; anyone else's is
    deleted, unread (commits)."""
    draft = _find(key)
    if draft is None:
        return
    if draft.user_id != user_id:
        db.session.delete(draft)
        db.session.commit()
        return
    session[KEY] = key
    session[RESUMED] = True


def take() -> MultiDict | None:
    """The fields kept for this page, once (the draft is deleted as it is read)."""
    draft = _find(session.get(KEY))
    if draft is None or draft.path != request.path:
        return None
    if draft.user_id is not None and draft.user_id != getattr(current_user, "id", None):
        return None  # typed under another account: never shown to this one
    session.pop(KEY)
    db.session.delete(draft)
    db.session.commit()
    if draft.created_at < utcnow() - timedelta(minutes=DRAFT_MINUTES):
        return None
    try:
        fields = json.loads(KEYS.decrypt(draft.fields))
    except InvalidToken:  # sealed under a key since dropped: nothing to give back
        return None
    if session.pop(RESUMED, False):
        flash(_("We kept what you typed; check and send again."), "info")
    return MultiDict([tuple(pair) for pair in fields])
