"""Small helpers for tests: CSRF tokens for form posts, and the mail outbox."""
from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from flask import current_app

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_LINK = re.compile(r"https?://\S+")


def csrf_token(client, url: str = "/") -> str:
    """GET `url` and return the CSRF token of its first form."""
    html = client.get(url).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no csrf_token on {url}"
    return match.group(1)


def post_form(client, url: str, data: dict, page: str | None = None, **kwargs):
    """POST `data` to `url` with a CSRF token taken from `page` (default: `url`)."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def outbox() -> list[EmailMessage]:
    """Every e-mail the app wrote to MAIL_DIR, oldest first."""
    directory = Path(current_app.config["MAIL_DIR"])
    if not directory.is_dir():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(directory.glob("*.eml"))]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links_in(message: EmailMessage) -> list[str]:
    return _LINK.findall(text_of(message))


def last_mail_to(address: str) -> EmailMessage:
    found = [m for m in outbox() if m["To"] == address]
    assert found, f"no e-mail to {address}; outbox: {[m['To'] for m in outbox()]}"
    return found[-1]


def path_of(link: str) -> str:
    """The path of an absolute link on BASE_URL, to open it with the test client."""
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def sign_in(client, user, second_factor: bool = True):
    """Sign `user` in on `client` through a real server-side session (as the login page
    does), with the staff second factor already given unless told otherwise."""
    from portal.accounts import sessions
    from portal.extensions import db
    from portal.models import utcnow

    record = sessions.start(user, "password")
    if second_factor:
        record.second_factor_at = utcnow()
    key = record.key
    db.session.commit()
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = key
        session["_fresh"] = True
    return key


def copy_session(source, target) -> None:
    """Give `target` the session cookie of `source`: a stolen or copied cookie."""
    cookie = source.get_cookie(source.application.config["SESSION_COOKIE_NAME"])
    target.set_cookie(cookie.key, cookie.value)


def give_second_factor(client, user) -> None:
    """After a staff password login: enrol TOTP if needed and enter a current code, as a
    person with an authenticator app would. Leaves `user.totp_secret` set."""
    import time

    import pyotp

    from portal.extensions import db

    page = client.get("/login/code")
    if page.status_code == 302 and page.location.endswith("/account/two-step"):
        html = client.get("/account/two-step").get_data(as_text=True)
        secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
        code = pyotp.TOTP(secret).now()
        response = post_form(client, "/account/two-step", {"code": code})
        assert response.status_code == 302, response.get_data(as_text=True)
        return
    db.session.refresh(user)
    totp = pyotp.TOTP(user.totp_secret)
    # A code is accepted once: after an earlier login in the same time step, use the next.
    step = max(totp.timecode(time.time()), (user.totp_last_step or -1) + 1)
    response = post_form(client, "/login/code", {"code": totp.generate_otp(step)})
    assert response.status_code == 302, response.get_data(as_text=True)
