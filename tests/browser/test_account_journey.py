"""A citizen's account journey in headless Chromium on a phone: sign up, confirm, log in,
log out, forget the password, reset it, log in again; and switch the language."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.support.mail import last_mail_to, links_in

pytestmark = pytest.mark.browser

EMAIL = "lena.peeters@example.be"
PASSWORD = "fietsen langs de schelde"
NEW_PASSWORD = "wandelen door de ardennen"


def _link(part: str) -> str:
    """The link of the newest e-mail to EMAIL that has one with `part`. The reset mail
    leaves after the response (the same page and speed for every address), so it may land
    a moment after the page: wait for it as a person waits for their mail."""
    deadline = time.monotonic() + 15
    while True:
        links = [u for u in links_in(last_mail_to(EMAIL)) if part in u]
        if links or time.monotonic() > deadline:
            [link] = links
            return link
        time.sleep(0.2)


def _fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _log_in(page: Page, password: str) -> None:
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def test_sign_up_confirm_log_in_out_reset_and_log_in_again(page: Page, live_server):
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Account aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account aanmaken")
    assert _fits_the_screen(page)

    page.get_by_label("Voornaam").fill("Lena")
    page.get_by_label("Achternaam").fill("Peeters")
    page.get_by_label("E-mailadres").fill(EMAIL)
    expect(page.get_by_role("combobox", name="Taal")).to_have_value("nl")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill("not the same phrase")
    page.get_by_role("button", name="Mijn account aanmaken").click()
    expect(page.locator("#confirm-error")).to_contain_text("niet hetzelfde")
    expect(page.get_by_label("Voornaam")).to_have_value("Lena")
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_value("")

    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Mijn account aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekijk je e-mail")

    page.goto(_link("/verify-email/"))
    expect(page.get_by_role("status").first).to_contain_text("je e-mailadres is bevestigd")
    expect(page).to_have_url(re.compile(r"/login$"))

    _log_in(page, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Je kandidaturen")
    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    expect(page.get_by_text("bevestigd", exact=True)).to_be_visible()
    assert _fits_the_screen(page)

    page.get_by_role("button", name="Afmelden", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Je bent afgemeld.")
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next="))

    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_role("button", name="De link sturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekijk je e-mail")

    page.goto(_link("/reset-password/"))
    expect(page).to_have_url(re.compile(r"/reset-password$"))
    page.get_by_label("Nieuw wachtwoord").fill(NEW_PASSWORD)
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Mijn nieuwe wachtwoord opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("nieuwe wachtwoord is opgeslagen")

    _log_in(page, PASSWORD)
    expect(page.locator("#password-error")).to_contain_text(
        "Het e-mailadres of het wachtwoord is niet juist.")
    _log_in(page, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Je kandidaturen")


def test_the_language_switch_changes_the_page_and_the_sign_up_default(page: Page, live_server):
    page.goto("/sign-up")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.get_by_role("button", name="Français").click()
    expect(page).to_have_url(re.compile(r"/sign-up$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    expect(page.get_by_role("combobox", name="Langue")).to_have_value("fr")
    page.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konto erstellen")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "de")


# What browsers really send: long, with no place to break.
LONG_AGENTS = [
    "Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.122 Mobile Safari/537.36 "
    "[FB_IAB/FB4A;FBAV/471.0.0.35.74;]",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "x" * 200,
]


def test_the_sessions_on_the_account_page_read_as_devices_and_fit_a_phone(
        page: Page, pages, live_server, app):
    from datetime import timedelta

    from portal.accounts.models import UserSession
    from portal.extensions import db
    from portal.models import utcnow
    from tests.browser.conftest import log_in
    from tests.support import factories

    user = factories.user(email="sessions@example.be")
    # Still signed in: active a while ago, well within the idle limit.
    a_while_ago = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] // 2)
    for n, agent in enumerate(LONG_AGENTS):
        db.session.add(UserSession(user_id=user.id, key_hash=f"{n:064d}", user_agent=agent,
                                   address="2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                                   created_at=a_while_ago, last_seen_at=a_while_ago))
    db.session.commit()

    page.goto("/login")
    pages.check()
    log_in(page, user.email, factories.PASSWORD, pages)
    pages.check()
    page.goto("/account")
    pages.check()
    sessions = page.locator("section[aria-labelledby=sessions-title]")
    expect(sessions).to_contain_text("Facebook op Android")
    expect(sessions).to_contain_text("Firefox op Windows")
    expect(sessions).to_contain_text("minuten geleden")
    expect(sessions).not_to_contain_text("Mozilla/5.0")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
