"""The end of the service year as the participant lives it, time moved by the daily
commands (no shell step): the year starts, ends, and the career / Reserve / leave question
is the first thing they see (landing, every page, the menu) until they answer; answering,
declining an offer and withdrawing a Reserve application each ask for confirmation first.
In Dutch on a 390 px phone and in French on a desktop, axe and the HTML checker on every
page reached, nothing scrolling sideways."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import format_date
from playwright.sync_api import Page, expect

from portal import i18n
from portal.applications.models import Application, Status
from portal.extensions import db
from portal.reserve.models import ChoiceStatus, EngagementStatus, YearEndChoice
from tests.browser.conftest import PHONE, log_in
from tests.browser.journeys import fits_the_screen, t
from tests.support import factories
from tests.support import reserve as helpers
from tests.support import review as scene

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
RUNS = [pytest.param("nl", PHONE, id="nl-phone"), pytest.param("fr", DESKTOP, id="fr-desktop")]


def _start(page, live_server, language, viewport):
    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])


def _long(day, language):
    with i18n.locale(language):
        return format_date(day, "long")


@pytest.mark.parametrize(("language", "viewport"), RUNS)
def test_the_choice_after_the_year_comes_first_and_is_confirmed(
        page: Page, pages, live_server, app, language, viewport):
    def _(message, **values):
        return t(message, language, **values)

    _start(page, live_server, language, viewport)
    citizen = factories.user(email=f"noor.{language}@example.be", language=language,
                             first_name="Noor", last_name="Jacobs")
    intake = factories.intake(start_date=date.today() - timedelta(days=370))
    application = scene.application(intake, status=Status.OFFER_ACCEPTED, user=citizen,
                                    language=language)
    db.session.commit()
    # A year goes by, moved by the daily commands: the year starts, then ends.
    runner = app.test_cli_runner()
    assert "1 service year(s) started." in runner.invoke(
        args=["applications", "start-service", "--today", intake.start_date.isoformat()]).output
    assert "1 service year(s) completed." in runner.invoke(args=["reserve", "close-years"]).output
    deadline = _long(db.session.scalar(db.select(YearEndChoice)).deadline, language)

    # Logging in lands on the question, with its deadline in words.
    page.goto("/login")
    pages.check()
    log_in(page, citizen.email, factories.PASSWORD, pages)
    expect(page).to_have_url(f"{live_server}/reserve/choice")
    expect(page.get_by_role("heading", level=1)).to_have_text(_("After your service year"))
    expect(page.locator("main")).to_contain_text(deadline)
    assert fits_the_screen(page)
    pages.check()

    # Anywhere else, the question stays at the top and leads the menu.
    for url in ("/", "/my-application"):
        page.goto(url)
        banner = page.get_by_role("region", name=_("After your service year"))
        expect(banner).to_contain_text(deadline)
        expect(banner.get_by_role("link", name=_("Make my choice"))).to_be_visible()
        expect(page.get_by_role("navigation", name=_("Main menu")).get_by_role(
            "link", name=_("After your service year"))).to_have_count(1)
        assert fits_the_screen(page)
        pages.check()
    expect(page.locator("main .tag").first).to_have_text(_("Service year completed"))

    # Leaving: the confirmation says what happens; going back changes nothing.
    page.get_by_role("region", name=_("After your service year")).get_by_role(
        "link", name=_("Make my choice")).click()
    page.get_by_label(_("Leave Defence")).check()
    page.get_by_role("button", name=_("Send my choice")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Check your choice"))
    expect(page.locator("main")).to_contain_text(_(
        "You leave Defence after your service year. You can still apply to the Reserve "
        "directly later."))
    assert fits_the_screen(page)
    pages.check()
    page.get_by_role("link", name=_("No, choose again")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("After your service year"))
    db.session.expire_all()
    assert db.session.scalar(db.select(YearEndChoice)).status == ChoiceStatus.OPEN

    # A career, confirmed: recorded, and the question leaves the pages and the menu.
    page.get_by_label(_("A career in Defence")).check()
    page.get_by_role("button", name=_("Send my choice")).click()
    expect(page.locator("main")).to_contain_text(_(
        "Your choice goes to the recruitment team. A recruiter contacts you about a career "
        "in Defence."))
    pages.check()
    page.get_by_role("button", name=_("Yes, send my choice")).click()
    expect(page.get_by_role("status").first).to_contain_text(_("Your choice is recorded."))
    expect(page.get_by_role("region", name=_("After your service year"))).to_have_count(0)
    expect(page.get_by_role("navigation", name=_("Main menu")).get_by_role(
        "link", name=_("After your service year"))).to_have_count(0)
    assert fits_the_screen(page)
    pages.check()
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.CAREER
    pages.finish()


@pytest.mark.parametrize(("language", "viewport"), RUNS)
def test_declining_an_offer_and_withdrawing_from_the_reserve_ask_first(
        page: Page, pages, live_server, language, viewport):
    def _(message, **values):
        return t(message, language, **values)

    _start(page, live_server, language, viewport)
    citizen = factories.user(email=f"sam.{language}@example.be", language=language,
                             first_name="Sam", last_name="Peeters")
    application = scene.application(factories.intake(), status=Status.SELECTED, user=citizen,
                                    language=language,
                                    offer_deadline=date.today() + timedelta(days=7))
    engagement = helpers.engagement(user=citizen, status=EngagementStatus.APPLIED)
    db.session.commit()
    page.goto("/login")
    pages.check()
    log_in(page, citizen.email, factories.PASSWORD, pages)

    # Declining the offer: a page says what happens; "no" goes back to the offer.
    page.goto(f"/my-application/{application.id}/offer")
    pages.check()
    page.get_by_role("button", name=_("I decline")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Decline your place"))
    assert fits_the_screen(page)
    pages.check()
    page.get_by_role("link", name=_("No, go back to the offer")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("You are offered a place"))
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.SELECTED
    page.get_by_role("button", name=_("I decline")).click()
    page.get_by_role("button", name=_("Yes, decline my place")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        _("You declined the offer. Your place goes to another candidate."))
    pages.check()

    # Withdrawing the Reserve application: the same, from the engagement's page.
    page.goto(f"/reserve/engagements/{engagement.id}")
    pages.check()
    page.get_by_role("link", name=_("Withdraw my application")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _("Withdraw my application to the Reserve"))
    assert fits_the_screen(page)
    pages.check()
    page.get_by_role("button", name=_("Yes, withdraw my application")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        _("You withdrew your application to the Reserve."))
    expect(page.get_by_role("link", name=_("Withdraw my application"))).to_have_count(0)
    pages.check()
    pages.finish()
