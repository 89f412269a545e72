"""Two recruiters in real Chromium: the first in Dutch on a desktop with the keyboard only
(queue, tests, proposal), the second in German on a phone (confirmation, dashboard); between
them medical staff, in French on a phone, read the health answers and record the medical
test. Four eyes, axe-core and the Nu Html Checker on every page reached."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from portal.applications import answers
from portal.applications.models import Application, Status
from portal.extensions import db
from tests.browser.checks import Pages
from tests.browser.conftest import PHONE, log_in, second_factor
from tests.browser.journeys import t, tab_to
from tests.support import factories
from tests.support import review as scene

pytestmark = pytest.mark.browser


def _keyboard_log_in(page: Page, pages, email: str, nl) -> None:
    page.goto("/login")
    pages.check()
    tab_to(page, page.get_by_label(nl("E-mail address")))
    page.keyboard.type(email)
    tab_to(page, page.get_by_label(nl("Password")))
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    second_factor(page, email, pages)


def test_two_recruiters_move_an_application_from_the_queue_to_selected(
        page: Page, pages, live_server, browser, app, monkeypatch):
    def nl(message, **values):
        return t(message, "nl", **values)

    def de(message, **values):
        return t(message, "de", **values)

    def fr(message, **values):
        return t(message, "fr", **values)

    intake = factories.intake(name="Dienstjaar 2027", quota_total=5, quota_land=5,
                              quota_air=0, quota_navy=0, quota_medical=0, quota_cyber=0)
    day = scene.selection_day(intake)
    application = scene.application(
        intake, last_name="Peeters", first_name="Lotte", component="land", answers=json.dumps({
            "personal": {"first_name": "Lotte", "last_name": "Peeters",
                         "nationality": "belgian", "language": "nl"},
            "contact": {"street": "Veldstraat", "house_number": "12", "postcode": "9000",
                        "municipality": "Gent"}}))
    answers.store(application, {**answers.own(application), "health": {
        "chronic_condition": "no", "medication": "yes", "recent_injury": "no",
        "sport_limits": "no"}})
    doctor = factories.user("medical_staff", email="dr.claes@mil.be", language="fr",
                            first_name="Marie", last_name="Claes")
    officer = factories.user("security_officer", email="pieter.wouters@mil.be", language="nl",
                             first_name="Pieter", last_name="Wouters")
    first = factories.user("recruiter", email="eva.janssens@mil.be", language="nl",
                           first_name="Eva", last_name="Janssens")
    second = factories.user("recruiter", email="jonas.schmitz@mil.be", language="de",
                            first_name="Jonas", last_name="Schmitz")
    db.session.commit()

    # The first recruiter: desktop, keyboard only.
    page.set_viewport_size({"width": 1280, "height": 900})
    _keyboard_log_in(page, pages, first.email, nl)
    pages.check()
    page.goto("/review/")
    pages.check()
    tab_to(page, page.get_by_role("link", name="Dienstjaar 2027"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=application.reference)).to_be_visible()
    pages.check()
    tab_to(page, page.get_by_role("link", name=application.reference))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peeters")
    pages.check()

    tab_to(page, page.get_by_role("button", name=nl("Start screening")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=nl("Schedule the tests"))).to_be_visible()
    pages.check()
    tab_to(page, page.get_by_role("button", name=nl("Schedule the tests")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=nl("Record the result"))).to_be_visible()
    expect(page.locator("#medical-status")).to_have_text(nl("Medical test pending"))
    assert nl("Do you take medication every day?") not in page.content()
    pages.check()
    tab_to(page, page.get_by_role("button", name=nl("Ask for the security screening")))
    page.keyboard.press("Enter")
    expect(page.locator("#security-status")).to_have_text(nl("Security screening in progress"))
    pages.check()
    # The selection day comes: its results are recorded from that day on.
    monkeypatch.setitem(app.config, "TODAY", day.day)

    # Medical staff: a phone, in French. The health answers, then the medical test.
    doctor_context = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True,
                                         has_touch=True, locale="fr-BE")
    ward = doctor_context.new_page()
    ward_pages = Pages(ward, live_server)
    ward.goto("/login")
    ward_pages.check()
    log_in(ward, doctor.email, factories.PASSWORD, ward_pages)
    ward.goto("/medical/")
    ward_pages.check()
    ward.get_by_role("link", name=application.reference).click()
    expect(ward.locator("#health-answers")).to_contain_text(
        fr("Do you take medication every day?"))
    ward_pages.check()
    ward.get_by_label(fr("Medically fit"), exact=True).check()
    ward.get_by_role("button", name=fr("Record the medical test")).click()
    expect(ward.get_by_text(fr("Medical test recorded."))).to_be_visible()
    ward_pages.check()
    assert ward.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ward_pages.finish()
    doctor_context.close()

    # A security officer, desktop, in Dutch: the vetting authority's outcome.
    vetting_context = browser.new_context(base_url=live_server, locale="nl-BE",
                                          viewport={"width": 1280, "height": 900})
    desk = vetting_context.new_page()
    desk_pages = Pages(desk, live_server)
    desk.goto("/login")
    desk_pages.check()
    log_in(desk, officer.email, factories.PASSWORD, desk_pages)
    desk.goto("/security-screening/")
    desk_pages.check()
    desk.get_by_role("row", name=re.compile(application.reference)).get_by_role("link").click()
    desk_pages.check()
    desk.get_by_label(nl("Favourable"), exact=True).check()
    desk.get_by_role("button", name=nl("Record the outcome")).click()
    expect(desk.get_by_text(nl("Outcome of the security screening recorded."))).to_be_visible()
    desk_pages.check()
    desk_pages.finish()
    vetting_context.close()

    page.reload()
    expect(page.locator("#security-status")).to_have_text(nl("Security screening favourable"))
    expect(page.locator("#medical-status")).to_have_text(nl("Medically fit"))
    for index in range(3):  # psychotechnical, sports, interview
        tab_to(page, page.get_by_label(nl("Test"), exact=True))
        for _ in range(index):
            page.keyboard.press("ArrowDown")
        tab_to(page, page.get_by_label(nl("Passed"), exact=True))
        page.keyboard.press("Space")
        tab_to(page, page.get_by_label(nl("Score (0 to 100)")))
        page.keyboard.type("7" + str(index))
        page.keyboard.press("Enter")
        expect(page.locator("#tests-title ~ .table-scroll table tbody tr")).to_have_count(index + 1)
    pages.check()
    tab_to(page, page.get_by_role("button", name=nl("Conclude the tests")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=nl("Propose to select"))).to_be_visible()
    pages.check()
    tab_to(page, page.get_by_label(nl("Note for the file (not in the letter)")).first)
    page.keyboard.type("Sterke sporttest en een helder gesprek.")
    tab_to(page, page.get_by_role("button", name=nl("Propose to select")))
    page.keyboard.press("Enter")
    expect(page.get_by_text(nl("A second recruiter must confirm your proposal."))).to_be_visible()
    pages.check()

    # The second recruiter: a phone, in German.
    context = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True,
                                  has_touch=True, locale="de-BE")
    phone = context.new_page()
    phone_pages = Pages(phone, live_server)
    phone.goto("/login")
    phone_pages.check()
    log_in(phone, second.email, factories.PASSWORD, phone_pages)
    phone_pages.check()
    phone.goto(f"/review/applications/{application.id}")
    phone_pages.check()
    phone.get_by_role("button", name=de("Confirm the decision")).click()
    expect(phone.get_by_role("status").first).to_be_visible()
    phone_pages.check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_role("link", name=de("Back to the applications of %(intake)s",
                                      intake=intake.name)).click()
    phone_pages.check()
    phone.get_by_role("navigation", name=de("Intake pages")).get_by_role(
        "link", name=de("Dashboard")).click()
    expect(phone).to_have_url(re.compile(r"/dashboard$"))
    # A handful of candidates: their counts are hidden, never shown as a number.
    hidden = de("< %(num)d", num=app.config["DASHBOARD_MIN_CELL"])
    expect(phone.locator("td").filter(has_text=hidden).first).to_be_visible()
    phone_pages.check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone_pages.finish()
    context.close()

    db.session.expire_all()
    moved = db.session.get(Application, application.id)
    assert moved.status == Status.SELECTED and moved.component == "land"
    pages.finish()
