"""Browser journeys: the app served from a thread of the test process, driven by Chromium.

Reuse these fixtures for any journey: `live_server` (its URL; e-mails link to it), and
pytest-playwright's `page`, here on a phone-sized viewport with relative URLs working
(`page.goto("/login")`). Mark journeys with @pytest.mark.browser. The database is the
session's migrated test database (SQLite, or PostgreSQL via TEST_DATABASE_URL), emptied
after each test like every other test's.
"""
from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

# Chromium comes from Debian; Playwright must never try to fetch a browser of its own.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags the closed network here refuses many connections.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # request lines would carry e-mailed tokens
        pass


@pytest.fixture(scope="session")
def _server(app):
    """One threaded WSGI server on 127.0.0.1 and a free port, for the whole session."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def live_server(app, _server):
    """The server's URL; while the test runs, e-mailed links point at it."""
    previous = app.config["BASE_URL"]
    app.config["BASE_URL"] = _server
    yield _server
    app.config["BASE_URL"] = previous


@pytest.fixture(scope="session")
def base_url(_server):
    return _server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True,
            "locale": "nl-BE"}


@pytest.fixture
def pages(page, live_server):
    """Every page the journey reaches: axe on each `pages.check()`, vnu at the end."""
    from tests.browser.checks import Pages

    watched = Pages(page, live_server)
    yield watched
    watched.finish()


def log_in(page, email: str, password: str, pages=None) -> None:
    """Log in through the form, whatever the page's language; staff then give their second
    factor (enrolling an authenticator on their first login), as a person would."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    second_factor(page, email, pages)


def second_factor(page, email: str, pages=None) -> None:
    """On the second-factor pages, enter a current code (enrolling first if needed)."""
    import time

    import pyotp

    from portal.accounts import second_factor as factor
    from portal.accounts.models import User
    from portal.extensions import db

    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/login"))
    for _ in range(3):
        path = page.url.split("?")[0]
        if path.endswith("/account/two-step"):
            secret = page.locator("#totp-secret").inner_text().strip()
            code = pyotp.TOTP(secret).now()
        elif path.endswith("/login/code"):
            db.session.expire_all()
            user = db.session.scalar(db.select(User).where(User.email == email))
            totp = pyotp.TOTP(factor.secret(user))
            step = max(totp.timecode(time.time()), (user.totp_last_step or -1) + 1)
            code = totp.generate_otp(step)
        else:
            if pages is not None and path.endswith("/recovery-codes"):
                pages.check()  # shown once, after enrolling
            return
        if pages is not None:
            pages.check()
        page.locator("#code").fill(code)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url, before=path: url.split("?")[0] != before)
