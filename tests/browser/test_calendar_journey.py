"""A reservist takes the calendar address on a 390 px phone: makes it, copies it with the
button, finds the subscribe link, the QR code and the how-to of their app, then renews it
after being told the old address stops (and it does); without script the address is still
there to select. In two languages, with axe-core and the Nu Html Checker on every page."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.extensions import db
from portal.reserve.models import EngagementStatus
from tests.browser.conftest import PHONE, log_in
from tests.browser.journeys import fits_the_screen, t
from tests.support import factories
from tests.support import reserve as helpers

pytestmark = pytest.mark.browser


def _address(page: Page, language: str) -> str:
    field = page.get_by_role("textbox", name=t("Calendar address", language))
    expect(field).to_be_visible()
    return field.input_value()


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_reservist_subscribes_copies_and_renews_the_calendar_address_on_a_phone(
        page: Page, pages, live_server, browser, language):
    def _(message, **values):
        return t(message, language, **values)

    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    unit = helpers.unit(name="3rd Lancers Reserve Company")
    citizen = factories.user(email=f"noor.{language}@example.be", language=language)
    engagement = helpers.engagement(citizen, status=EngagementStatus.ACTIVE, unit=unit)
    helpers.assignment(helpers.period(unit, place="Kamp Elsenborn"), engagement)
    db.session.commit()

    page.goto("/login")
    pages.check()
    log_in(page, citizen.email, factories.PASSWORD, pages)
    pages.check()
    page.goto("/reserve/calendar")
    expect(page.get_by_role("heading", level=1)).to_have_text(_("My calendar feed"))
    pages.check()
    page.get_by_role("button", name=_("Make my calendar address")).click()
    expect(page.get_by_role("heading", name=_("Your calendar address"))).to_be_visible()
    old = _address(page, language)
    assert old.startswith(f"{live_server}/reserve/feed/") and old.endswith(".ics")
    assert fits_the_screen(page)
    pages.check()

    # Subscribe link, copy button (shown by the script), QR code.
    subscribe = page.get_by_role("link", name=_("Subscribe in my calendar app"))
    expect(subscribe).to_have_attribute("href", "webcal://" + old.split("://", 1)[1])
    copy = page.get_by_role("button", name=_("Copy address"))
    expect(copy).to_be_visible()
    copy.click()
    expect(page.get_by_role("status").filter(has_text=_("Address copied"))).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == old
    qr = page.get_by_role("img", name=_("QR code of your calendar address"))
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] <= PHONE["width"]
    page.get_by_text(_("Apple Calendar (iPhone, iPad, Mac)")).click()
    expect(page.get_by_text(_("Confirm with “Subscribe”, then “Add”."))).to_be_visible()
    assert fits_the_screen(page)
    pages.check()
    assert page.request.get(old).status == 200

    # Renewal: first what happens, then a new address; the old one is gone at once.
    page.reload()
    expect(page.get_by_role("textbox", name=_("Calendar address"))).to_have_count(0)  # shown once
    page.get_by_role("link", name=_("Make a new address")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _("Make a new calendar address?"))
    expect(page.get_by_text(_(
        "Your current calendar address stops working at once. Calendar apps subscribed to "
        "it no longer receive your training periods or their changes."))).to_be_visible()
    assert fits_the_screen(page)
    pages.check()
    page.get_by_role("button", name=_("Yes, make a new address")).click()
    new = _address(page, language)
    assert new != old
    pages.check()
    assert page.request.get(old).status == 404
    assert page.request.get(new).status == 200

    # Without script: no copy button, the address is a field to select and copy by hand.
    # (axe cannot run where script is off; these pages were checked above with it on.)
    context = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True,
                                  java_script_enabled=False, locale=f"{language}-BE")
    plain = context.new_page()
    log_in(plain, citizen.email, factories.PASSWORD)
    plain.goto("/reserve/calendar/renew")
    plain.get_by_role("button", name=_("Yes, make a new address")).click()
    field = plain.get_by_role("textbox", name=_("Calendar address"))
    expect(field).to_have_attribute("readonly", "")
    expect(plain.get_by_role("button", name=_("Copy address"))).to_be_hidden()
    assert field.input_value().startswith(f"{live_server}/reserve/feed/")
    context.close()
