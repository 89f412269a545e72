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


def session_key(user, second_factor: bool = True) -> str:
    """A new server-side session of `user`, committed, as the login page makes it (with the
    staff second factor already given unless told otherwise): the value a browser's
    session cookie carries."""
    from portal.accounts import sessions
    from portal.extensions import db
    from portal.models import utcnow

    record = sessions.start(user, "password")
    if second_factor:
        record.second_factor_at = utcnow()
    key = record.key
    db.session.commit()
    return key


def login(client, user, second_factor: bool = True) -> str:
    """Sign `user` in on `client` through a real server-side session."""
    # The test's app context outlives requests, and Flask-Login caches the user in g.
    g.pop("_login_user", None)
    key = session_key(user, second_factor)
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = key
        session["_fresh"] = True
    return key


sign_in = login


def copy_session(source, target) -> None:
    """Give `target` the session cookie of `source`: a stolen or copied cookie."""
    cookie = source.get_cookie(source.application.config["SESSION_COOKIE_NAME"])
    target.set_cookie(cookie.key, cookie.value)


def give_second_factor(client, user) -> None:
    """After a staff password login: enrol TOTP if needed and enter a current code, as a
    person with an authenticator app would. Leaves the user's secret set."""
    import time

    import pyotp

    from portal.accounts import second_factor
    from portal.extensions import db

    page = client.get("/login/code")
    if page.status_code == 302 and page.location.endswith("/account/two-step"):
        html = client.get("/account/two-step").get_data(as_text=True)
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
        response = post_form(client, "/account/two-step", {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302, response.get_data(as_text=True)
        return
    db.session.refresh(user)
    totp = pyotp.TOTP(second_factor.secret(user))
    # A code is accepted once: after an earlier login in the same time step, use the next.
    step = max(totp.timecode(time.time()), (user.totp_last_step or -1) + 1)
    response = post_form(client, "/login/code", {"code": totp.generate_otp(step)})
    assert response.status_code == 302, response.get_data(as_text=True)


def download_my_data(client, kind: str = "json", password: str | None = None):
    """Confirm it is you on the "Your data" page (the account's password), then download."""
    from tests.support.factories import PASSWORD

    post_form(client, "/account/my-data", {"current_password": password or PASSWORD})
    return client.get(f"/account/my-data.{kind}")


def confirm_it_is_you(client, password: str | None = None, next_url: str | None = None):
    """Confirm it is you on /account/confirm-password (the account's password), as a person
    does before a sensitive change; returns the response (a redirect to `next_url`)."""
    from tests.support.factories import PASSWORD

    url = "/account/confirm-password" + (f"?next={next_url}" if next_url else "")
    return post_form(client, url, {"current_password": password or PASSWORD})
