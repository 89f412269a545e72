"""What a visitor typed into a form whose CSRF token had expired, kept to fill it in again.

The session cookie carries it for one redirect; passwords and national register numbers
are never kept (the cookie is signed, not encrypted).
"""
from __future__ import annotations

from flask import current_app, request, session
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

KEY = "form_draft"
NEVER_KEPT = ("csrf_token", "national_number")
MAX_CHARS = 3000  # the session cookie must stay under 4 kB


def kept(view):
    """Mark a view whose GET fills its form in again from `take()`."""
    view.keeps_drafts = True
    return view


def keep() -> str | None:
    """Keep the posted fields for the same page's GET; returns that page's path, or None when
    the view does not take drafts back, or there is nothing to keep."""
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
    session[KEY] = {"path": request.path, "fields": fields}
    return request.path


def take() -> MultiDict | None:
    """The fields kept for this page, once."""
    draft = session.get(KEY)
    if not draft or draft.get("path") != request.path:
        return None
    session.pop(KEY)
    return MultiDict([tuple(pair) for pair in draft["fields"]])
