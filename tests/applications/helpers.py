"""Posting forms as a browser does: fetch the page for its CSRF token, then post."""
from __future__ import annotations

import re

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = TOKEN.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    """POST `data` to `url` with the token shown on `page` (default: the same URL)."""
    form = dict(data or {})
    form["csrf_token"] = csrf_token(client, page or url)
    return client.post(url, data=form, **kwargs)


def version_on(client, url: str) -> str:
    """The application version a page's form carries (its stale-page guard)."""
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'<input[^>]*name="version"[^>]*value="(\d+)"', page)
    assert match, f"no version field on {url}"
    return match.group(1)
