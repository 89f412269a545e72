"""Before a session ends for lack of activity, the page warns and "Stay signed in" keeps it;
once it has ended, the page says so. In Dutch on a 390 px phone, with a short idle limit and
the page's clock moved forward (the server's session is real), axe-core on every state."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import UserSession
from portal.extensions import db
from portal.models import utcnow
from tests.browser.conftest import PHONE, log_in
from tests.browser.journeys import fits_the_screen, t, tn
from tests.support import factories

pytestmark = pytest.mark.browser

LANGUAGE = "nl"


@pytest.fixture
def short_idle_limit(app):
    """A two-minute idle limit, warned one minute ahead."""
    before = app.config["SESSION_IDLE_MINUTES"], app.config["IDLE_WARNING_MINUTES"]
    app.config["SESSION_IDLE_MINUTES"], app.config["IDLE_WARNING_MINUTES"] = 2, 1
    yield
    app.config["SESSION_IDLE_MINUTES"], app.config["IDLE_WARNING_MINUTES"] = before


def _session_of(user) -> UserSession:
    db.session.expire_all()
    return db.session.scalars(db.select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.id.desc())).first()


def test_the_page_warns_before_the_session_ends_and_stay_signed_in_keeps_it(
        page: Page, pages, live_server, short_idle_limit):
    def _(message, **values):
        return t(message, LANGUAGE, **values)

    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "lang", "value": LANGUAGE, "url": live_server}])
    user = factories.user(email="wout@example.be", language=LANGUAGE)
    db.session.commit()
    page.clock.install()
    page.goto("/login")
    pages.check()
    log_in(page, user.email, factories.PASSWORD, pages)
    pages.check()
    page.goto("/reserve/apply")
    pages.check()
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_hidden()

    # A minute before the end: the warning, with its button.
    page.clock.fast_forward("01:05")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(
        tn("Your session ends in %(num)d minute.", "Your session ends in %(num)d minutes.", 1,
           LANGUAGE))
    assert fits_the_screen(page)
    pages.check()

    # The session's last activity as the server saw it, a while back.
    record = _session_of(user)
    record.last_seen_at = utcnow() - timedelta(seconds=90)
    db.session.commit()
    warning.get_by_role("button", name=_("Stay signed in")).click()
    expect(warning).to_contain_text(_("You are still signed in."))
    assert utcnow() - _session_of(user).last_seen_at < timedelta(seconds=30)
    page.clock.fast_forward("00:06")
    expect(warning).to_be_hidden()

    # Left alone past the limit: the page says the session has ended.
    page.clock.fast_forward("02:05")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(_(
        "Your session has ended. Log in again to go on: a form you send now is kept for you "
        "until you have logged in."))
    expect(warning.get_by_role("link", name=_("Log in again"))).to_be_visible()
    expect(warning.get_by_role("button", name=_("Stay signed in"))).to_be_hidden()
    pages.check()
