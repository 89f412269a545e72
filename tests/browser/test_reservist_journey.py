"""A participant whose service year is complete chooses the Reserve, compares the pillars,
applies with the suggested unit, is approved by a recruiter, then confirms a training
period and takes the calendar address; once in each language, on a phone and a desktop,
with axe-core and the Nu Html Checker on every page reached."""
from __future__ import annotations

import re
from datetime import date, timedelta

import icalendar
import pytest
from playwright.sync_api import Page, expect

from portal.applications import workflow as application_workflow
from portal.applications.models import Status
from portal.extensions import db
from portal.reserve import training
from portal.reserve.models import Engagement, EngagementStatus
from tests.browser.checks import Pages
from tests.browser.conftest import PHONE, log_in
from tests.browser.journeys import fits_the_screen, on_screen, t
from tests.support import factories
from tests.support import reserve as helpers
from tests.support import review as scene

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
# Each language once; a phone for two of them (the journeys stay quick).
RUNS = [pytest.param("nl", DESKTOP, id="nl-desktop"), pytest.param("fr", PHONE, id="fr-phone"),
        pytest.param("de", PHONE, id="de-phone")]
LOGISTICS = {"nl": "Logistiek en transport", "fr": "Logistique et transport",
             "de": "Logistik und Transport"}


@pytest.mark.parametrize(("language", "viewport"), RUNS)
def test_a_participant_chooses_the_reserve_is_approved_and_confirms_a_period(
        page: Page, pages, live_server, browser, language, viewport):
    def _(message, **values):
        return t(message, language, **values)

    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    intake = factories.intake(start_date=date.today() - timedelta(days=400))
    citizen = factories.user(email=f"robin.{language}@example.be", language=language,
                             first_name="Robin", last_name="Claes")
    application = scene.application(intake, status=Status.IN_SERVICE, user=citizen,
                                    language=language)
    recruiter = factories.user("recruiter", email=f"recruiter.{language}@mil.be",
                               language=language)
    unit_staff = factories.user("unit_staff", language=language)
    logistics = helpers.skill("logistics", **{f"name_{k}": v for k, v in LOGISTICS.items()})
    lancers = helpers.unit(pillar="combat", province="west_flanders", skills=[logistics],
                           staff=[unit_staff], name="3rd Lancers Reserve Company",
                           place="Lombardsijde")
    helpers.unit(pillar="combat", province="limburg", name="2 Commando Reserve Company")
    # The year ends (what `flask reserve close-years` does each day): the choice opens.
    application_workflow.transition(application, "complete", recruiter)
    db.session.commit()

    page.goto("/login")
    pages.check()
    log_in(page, citizen.email, factories.PASSWORD, pages)
    pages.check()

    page.goto("/reserve")
    expect(page.get_by_role("heading", level=1)).to_have_text(_("My Reserve"))
    expect(page.get_by_role("heading", name=_("Your service year is complete: what next?"))
           ).to_be_visible()
    pages.check()
    page.get_by_role("link", name=_("Make my choice")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("After your service year"))
    pages.check()

    # The three pillars side by side, before choosing.
    page.get_by_role("link", name=_("What the Reserve's three pillars are")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _("The three pillars of the Reserve"))
    for pillar in ("Specialised reserve", "Combat reserve", "Territorial reserve"):
        expect(page.get_by_role("columnheader", name=_(pillar))).to_be_visible()
    assert fits_the_screen(page)
    pages.check()
    page.go_back()

    page.get_by_label(_("Join the Reserve")).check()
    page.get_by_role("button", name=_("Send my choice")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Apply to the Reserve"))
    expect(page.get_by_text(
        _("This application is your answer to the question after your service year."))
    ).to_be_visible()
    pages.check()

    # Suggestions first, with their reasons; then the application with the unit chosen.
    page.get_by_label(_("Combat reserve")).check()
    page.get_by_label(_("Days per year you can give")).fill("10")
    page.get_by_label(LOGISTICS[language]).check()
    page.get_by_label(_("Street and number")).fill("Kerkstraat 12")
    page.get_by_label(_("Postcode")).fill("8400")
    page.get_by_role("button", name=_("Suggest units for me")).click()
    suggestions = page.locator("#suggestions")
    expect(suggestions.get_by_role("heading")).to_have_text(_("Units that fit you"))
    first = suggestions.get_by_role("listitem").first
    expect(first).to_contain_text("3rd Lancers Reserve Company")
    expect(first).to_contain_text(
        _("This unit needs what you know: %(skills)s.", skills=LOGISTICS[language]))
    expect(suggestions).to_contain_text(
        _("Suggested pillar: %(pillar)s", pillar=_("Combat reserve")))
    pages.check()
    page.get_by_label(_("First choice of unit")).select_option(str(lancers.id))
    page.get_by_role("button", name=_("Send my application")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        _("Your application to the Reserve is in."))
    expect(page.locator("main .tag").first).to_have_text(_("Applied"))
    assert fits_the_screen(page)
    pages.check()
    db.session.expire_all()
    engagement = db.session.scalar(db.select(Engagement).where(
        Engagement.user_id == citizen.id))

    # A recruiter screens and approves, on a desktop, in the same language.
    context = browser.new_context(base_url=live_server, viewport=DESKTOP,
                                  locale=f"{language}-BE")
    staff = context.new_page()
    staff_pages = Pages(staff, live_server)
    staff.goto("/login")
    staff_pages.check()
    log_in(staff, recruiter.email, factories.PASSWORD, staff_pages)
    staff_pages.check()
    staff.goto("/staff/reserve/engagements")
    staff_pages.check()
    staff.get_by_role("link", name=re.compile(engagement.reference)).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Robin Claes")
    staff_pages.check()
    staff.get_by_role("button", name=_("Start screening")).click()
    expect(staff.locator("main .tag").first).to_have_text(_("Being screened"))
    staff_pages.check()
    expect(staff.get_by_label(_("Unit"))).to_have_value(str(lancers.id))
    staff.locator("input[type=date]").fill(date.today().isoformat())
    staff.get_by_role("button", name=_("Approve")).click()
    expect(staff.get_by_role("status").first).to_contain_text(
        _("Done: %(status)s.", status=_("Approved")))
    staff_pages.check()
    pages.include(staff_pages)  # validated with the reservist's pages, in one run
    context.close()

    # The unit plans a period and assigns the new reservist (their own pages are not this
    # journey's): the reservist answers it.
    db.session.expire_all()
    engagement = db.session.get(Engagement, engagement.id)
    assert engagement.status == EngagementStatus.APPROVED
    starts = date.today() + timedelta(days=45)
    period = training.plan_period(lancers, unit_staff, kind="refresher", starts_on=starts,
                                  ends_on=starts + timedelta(days=2), place="Kamp Elsenborn",
                                  capacity=20)
    training.assign(period, engagement, unit_staff)
    db.session.commit()

    page.goto("/reserve")
    page.get_by_role("link", name=engagement.reference).click()
    expect(page.locator("main .tag").first).to_have_text(_("Approved"))
    expect(page.get_by_text(_("You are approved. Your engagement letter is below."))
           ).to_be_visible()
    expect(page.get_by_role("heading", name=_("Letters"))).to_be_visible()
    pages.check()
    page.get_by_role("link", name=_("My training year")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _("My training year %(year)d", year=date.today().year))
    pages.check()
    if starts.year != date.today().year:
        page.get_by_role("link", name=f"{starts.year} →").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            _("My training year %(year)d", year=starts.year))
        pages.check()
    row = page.locator("main tbody tr", has_text="Kamp Elsenborn")
    expect(row).to_contain_text(_("Planned: please confirm"))
    confirm = row.get_by_role("button", name=_("Confirm"))
    on_screen(confirm)
    assert fits_the_screen(page)
    confirm.click()
    expect(page.get_by_role("status").first).to_contain_text(_("You confirmed the period."))
    row = page.locator("main tbody tr", has_text="Kamp Elsenborn")
    expect(row).to_contain_text(_("Confirmed"))
    expect(row.get_by_role("button", name=_("Confirm"))).to_have_count(0)
    pages.check()

    # The private calendar address, shown once, read as a calendar app would.
    page.get_by_role("link", name=_("Add my periods to my own calendar")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("My calendar feed"))
    pages.check()
    page.get_by_role("button", name=_("Make my calendar address")).click()
    expect(page.get_by_text(
        _("Copy your address now: for your safety we show it only once."))).to_be_visible()
    assert fits_the_screen(page)
    pages.check()
    feed = page.request.get(page.locator("#feed-link").input_value())
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert (str(event["LOCATION"]), str(event["STATUS"])) == ("Kamp Elsenborn", "CONFIRMED")
    pages.finish()
