"""A citizen on a phone, in French, from the invitation code to the accepted offer; axe-core
and the Nu Html Checker on every page reached."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.applications.models import Application, Status
from portal.extensions import db
from tests.browser.journeys import invited_person, offer, t
from tests.support import factories
from tests.support.mail import last_mail_to, links_in, text_of

pytestmark = pytest.mark.browser

EMAIL = "camille.lambert@example.be"
PASSWORD = "balade le long de la meuse"


def _(message: str, **values) -> str:
    return t(message, "fr", **values)


def _next(page: Page) -> None:
    page.get_by_role("button", name=_("Save and continue")).click()


def test_a_citizen_on_a_phone_in_french_from_the_code_to_the_accepted_offer(
        page: Page, pages, live_server):
    page.context.add_cookies([{"name": "lang", "value": "fr", "url": live_server}])
    intake = factories.intake(name="Année de service 2027", quota_total=10, quota_land=7,
                              quota_air=2, quota_navy=1, quota_medical=0, quota_cyber=0)
    factories.info_session(intake, place="Quartier Reine Elisabeth, Evere")
    person, code = invited_person(intake, first_names="Camille", last_name="Lambert")
    db.session.commit()

    page.goto(f"/start?code={code}&lang=fr")
    expect(page.get_by_label(_("Invitation code"))).to_have_value(code)
    pages.check()
    page.get_by_label(_("Date of birth")).fill(person.birth_date.isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/start/account$"))
    pages.check()
    page.get_by_label(_("E-mail address")).fill(EMAIL)
    page.get_by_label(_("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(_("Repeat the password")).fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    pages.check()

    [verify] = [u for u in links_in(last_mail_to(EMAIL)) if "/verify-email/" in u]
    page.goto(verify)
    expect(page).to_have_url(re.compile(r"/login$"))
    pages.check()
    page.get_by_label(_("E-mail address")).fill(EMAIL)
    page.get_by_label(_("Password")).fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    pages.check()

    page.goto("/apply")
    expect(page.get_by_role("heading", name="Année de service 2027")).to_be_visible()
    pages.check()
    page.get_by_role("link", name=_("Choose a session")).first.click()
    pages.check()
    page.get_by_role("button", name=_("Book")).click()
    expect(page.get_by_role("status").first).to_be_visible()
    pages.check()
    page.get_by_role("button", name=_("Start my application")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(_("Personal details"))
    pages.check()
    page.get_by_label(_("Belgian"), exact=True).check()
    _next(page)
    pages.check()  # contact: the address comes from the register
    page.get_by_label(_("Mobile phone number")).fill("0470 12 34 56")
    _next(page)
    pages.check()
    page.locator("input[name=level][value=secondary_upper]").check()
    _next(page)
    pages.check()
    page.get_by_label(_("First choice")).select_option("air")
    page.locator("input[name=functions][value=technical]").check()
    _next(page)
    pages.check()
    # A mistake first: the summary names the field and takes the focus.
    _next(page)
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.title().startswith(_("Error:"))
    pages.check()
    page.locator("#earliest_start").fill(intake.start_date.isoformat())
    page.locator("#motivation").fill(
        "Je veux apprendre un métier, travailler en équipe et servir mon pays.")
    _next(page)
    pages.check()
    page.wait_for_url("**/step/health")  # .all() takes the groups of the page now shown
    for group in page.get_by_role("group").all():
        group.locator("input[value=no]").check()
    _next(page)
    pages.check()
    page.locator("#consent").check()
    _next(page)
    pages.check()  # check and send
    page.locator("main form button[type=submit]").last.click()

    expect(page.get_by_role("status").first).to_contain_text("candidature")
    # Told by e-mail too, in French, with the first name only.
    told = last_mail_to(EMAIL)
    assert told["Subject"] == _("We received your application")
    assert "Camille" in text_of(told) and "Lambert" not in text_of(told)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    pages.check()
    # The acknowledgement letter, as the browser would fetch it.
    letter = page.request.get(page.locator("main a[href^='/letters/']").first.get_attribute("href"))
    assert letter.ok and letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF")

    db.session.expire_all()
    application = db.session.scalar(db.select(Application))
    assert application.status == Status.SUBMITTED
    offer(application)
    page.reload()
    pages.check()
    page.locator(f"a[href='/my-application/{application.id}/offer']").click()
    pages.check()
    page.get_by_role("button", name=_("I accept my place")).click()
    expect(page.get_by_role("status").first).to_be_visible()
    pages.check()
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.OFFER_ACCEPTED
    pages.finish()
