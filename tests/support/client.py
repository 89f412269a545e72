"""The test client as a browser uses it: fetch a page for its CSRF token, then post; sign
a user in without the login form."""
from __future__ import annotations

import re

from flask import g

# A form's CSRF field, plain or with a form prefix ("select-csrf_token").
CSRF = re.compile(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"')


def token_in(html: str) -> str:
    """The CSRF token of the first form of a page already fetched."""
    match = CSRF.search(html)
    assert match, "no csrf_token on the page"
    return match.group(1)


def csrf_token(client, url: str = "/") -> str:
    """GET `url` and return the CSRF token of its first form."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF.search(html)
    assert match, f"no csrf_token on {url}"
    return match.group(1)


def post_form(client, url: str, data: dict | None = None, page: str | None = None, **kwargs):
    """POST `data` to `url` with the CSRF token shown on `page` (default: `url`)."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def version_on(client, url: str) -> str:
    """The application version a page's form carries (its stale-page guard)."""
    page = client.get(url).get_data(as_text=True)
    match = VERSION.search(page)
    assert match, f"no version field on {url}"
    return match.group(1)


def login(client, user) -> None:
    """Sign `user` in on `client`, as if they had just logged in."""
    # The test's app context outlives requests, and Flask-Login caches the user in g.
    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
