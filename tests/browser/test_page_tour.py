"""Every page no journey reaches, in real Chromium at desktop size and in the three
languages: axe-core (WCAG 2.1 A and AA) and the Nu Html Checker, including forms with errors."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page

from portal.applications import adjustments
from portal.applications.models import Status
from portal.applications.vetting import services as vetting
from portal.extensions import db
from tests.browser.conftest import log_in
from tests.support import factories
from tests.support import review as scene

pytestmark = pytest.mark.browser


def _visit(page: Page, pages, paths) -> None:
    for path in paths:
        response = page.goto(path)
        assert response.ok, (path, response.status)
        pages.check()


def test_staff_pages_in_french_and_with_errors(page: Page, pages, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    admin = factories.user("admin", language="fr")
    intake = factories.intake(name="Année de service 2027")
    session = factories.info_session(intake)
    day = scene.selection_day(intake)
    for status in (Status.SUBMITTED, Status.TESTS_PASSED, Status.WAITLISTED):
        scene.application(intake, status=status, score=70, language="fr", province="90000")
    uncleared = scene.application(intake, status=Status.TESTS_PASSED, score=70, language="fr",
                                  cleared=False)
    convoked = scene.application(intake, status=Status.TESTS_SCHEDULED, language="fr")
    scene.convoke(convoked, day)
    adjustments.ask(convoked, ["reading", "other"], "Dyslexie : merci de prévoir du temps.")
    cohort = factories.cohort()
    factories.person(cohort)
    db.session.commit()
    page.goto("/login")
    pages.check()
    log_in(page, admin.email, factories.PASSWORD, pages)
    _visit(page, pages, [
        "/staff", "/admin/intakes/", "/admin/intakes/new", f"/admin/intakes/{intake.id}/edit",
        f"/admin/intakes/{intake.id}/sessions",
        f"/admin/intakes/{intake.id}/sessions/{session.id}", "/admin/staff",
        "/admin/cohorts", f"/admin/cohorts/{cohort.id}", "/admin/audit", "/review/",
        f"/review/intakes/{intake.id}", f"/review/intakes/{intake.id}/dashboard",
        "/review/targets",
        f"/review/intakes/{intake.id}/selection-days", f"/selection-days/{day.id}/adjustments",
        "/admin/letter-runs", "/admin/employers/public-employers",
        "/admin/employers/statement-reviews", "/account",
        f"/review/applications/{uncleared.id}"])
    # Creating staff accounts asks the password again first ("Confirm it is you").
    page.goto("/account/confirm-password?next=/admin/staff")
    pages.check()
    page.locator("input[name=current_password]").fill(factories.PASSWORD)
    page.locator("main form .primary").last.click()
    page.wait_for_url("**/admin/staff")
    # Forms sent empty: their error summaries, fields in error and "Error:" titles.
    for path, button in ((f"/review/intakes/{intake.id}/selection-days", "main form .primary"),
                         ("/admin/cohorts", "main section form .primary"),
                         ("/admin/staff", "main form .primary"),
                         ("/admin/intakes/new", "main form .primary")):
        page.goto(path)
        page.locator("main input[type=text], main input[type=date], main input[type=email]"
                     ).evaluate_all("els => els.forEach(e => { e.value = ''; })")
        page.locator(button).last.click()
        page.wait_for_load_state("load")
        assert page.title().startswith("Erreur"), path
        pages.check()
    pages.finish()


def test_citizen_pages_in_dutch_and_german(page: Page, pages, live_server, app, tmp_path,
                                           monkeypatch):
    monkeypatch.setitem(app.config, "SMS_GATEWAY", "file")  # the choice of text messages
    monkeypatch.setitem(app.config, "SMS_DIR", str(tmp_path / "sms"))
    page.set_viewport_size({"width": 1280, "height": 900})
    _visit(page, pages, ["/", "/sign-up", "/forgot-password", "/start", "/parents", "/login"])
    page.locator("main form button[type=submit]").click()  # empty login: errors
    pages.check()
    citizen = factories.user(language="de")
    intake = factories.intake()
    application = scene.application(intake, status=Status.SUBMITTED, user=citizen,
                                    language="de")
    # A second intake where they are convoked: they may ask for adjustments.
    convoked = scene.application(factories.intake(), status=Status.TESTS_SCHEDULED,
                                 user=citizen, language="de")
    scene.convoke(convoked, scene.selection_day(convoked.intake))
    vetting.request(convoked, factories.user("recruiter"), None)  # "in progress" on its page
    db.session.commit()
    log_in(page, citizen.email, factories.PASSWORD)
    pages.check()
    # The home page again, now with an intake's own dates, ages and places.
    _visit(page, pages, ["/", "/account", "/apply", f"/apply/{intake.id}/sessions",
                         f"/my-application/{application.id}",
                         f"/my-application/{application.id}/withdraw", "/account/messages",
                         f"/my-application/{convoked.id}",
                         f"/my-application/{convoked.id}/adjustments", "/account/background",
                         "/account/interest"])
    page.locator("main form button[type=submit]").click()  # no level chosen: an error
    assert page.title().startswith("Fehler")
    pages.check()
    page.goto("/account/messages")
    page.locator("input[name=channel][value=sms]").check()
    page.locator("main form button[type=submit]").click()  # no phone number: an error
    assert page.title().startswith("Fehler")
    pages.check()
    page.goto("/account")
    page.get_by_role("button", name="Mein Passwort ändern").click()
    pages.check()
    pages.finish()


def test_security_officer_pages_in_dutch_with_errors(page: Page, pages, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    first = factories.user("security_officer", language="nl")
    second = factories.user("security_officer", language="nl")
    intake = factories.intake()
    recruiter = factories.user("recruiter")
    waiting = scene.application(intake, status=Status.SCREENING, cleared=False)
    requested = vetting.request(waiting, recruiter, None)
    doubtful = scene.application(intake, status=Status.TESTS_SCHEDULED, cleared=False)
    to_confirm = vetting.request(doubtful, recruiter, None)
    vetting.record_outcome(to_confirm, "unfavourable", "Verslag van de veiligheidsoverheid",
                           second)
    db.session.commit()
    page.goto("/login")
    pages.check()
    log_in(page, first.email, factories.PASSWORD, pages)
    _visit(page, pages, ["/security-screening/", f"/security-screening/{requested.id}",
                         f"/security-screening/{to_confirm.id}"])
    page.goto(f"/security-screening/{requested.id}")
    page.locator("input[name=outcome][value=unfavourable]").check()
    page.locator("main form .primary").last.click()  # no reason given: an error
    page.wait_for_load_state("load")
    assert page.title().startswith("Fout")
    pages.check()
    pages.finish()


@pytest.fixture
def calendar():
    """Days served as the units recorded them, for this test only."""
    from portal.employers import periods
    from tests.employers.helpers import MemoryPeriods

    source = MemoryPeriods()
    previous = periods.use_source(source)
    yield source
    periods.use_source(previous)


def test_employer_pages_in_german_with_payment_and_planning_address(page: Page, pages,
                                                                   live_server, app, calendar):
    """The employer space's statement (payment, a contested line, working time), the
    enterprise's account (with an error) and the planning address, in formal German."""
    from datetime import UTC, date, datetime

    from portal.employers import services as employers
    from portal.employers import statement_reviews
    from tests.employers.helpers import employer, signed_agreement

    page.set_viewport_size({"width": 1280, "height": 900})
    app.config["EMPLOYER_STATEMENT_REVIEW_DAYS"] = 400
    year = date.today().year - 1
    company = employer("0400000086", "Bäckerei Schmitz GmbH", language="de")
    hr = factories.user("employer", language="de")
    employers.add_member(company, hr, admin=True, actor=None)
    reservist = factories.user("citizen", first_name="Anna", last_name="Schmitz")
    agreement = signed_agreement(company, hr=hr, reservist=reservist)
    agreement.signed_at = datetime(year, 3, 1, tzinfo=UTC)
    agreement.work_percent = 80
    calendar.served[(reservist.id, year)] = 5
    statement_reviews.ask(hr, company, year, "Zwei Tage der Übung fehlen.", date.today(),
                          line=reservist.id)
    db.session.commit()
    page.goto("/login")
    pages.check()
    log_in(page, hr.email, factories.PASSWORD)
    base = f"/employer/enterprises/{company.id}"
    _visit(page, pages, ["/employer/", base, f"{base}/statements/{year}",
                         f"/employer/agreements/{agreement.id}",
                         f"{base}/planning/subscription"])
    page.locator("main form[action$='/renew'] button").click()  # the address, shown once
    page.wait_for_load_state("load")
    pages.check()
    page.goto(base)
    page.locator("#iban").fill("DE00 1234")  # not an IBAN: its error
    page.locator("main form[action$='/account'] button").click()
    page.wait_for_load_state("load")
    assert page.title().startswith("Fehler")
    pages.check()
    pages.finish()


def test_a_self_employed_reservists_pages_in_dutch(page: Page, pages, live_server, app,
                                                    calendar):
    """The reservist's employer page with the self-employed form (and its error), and their
    own compensation statement."""
    from datetime import date

    from portal.employers import self_employed
    from tests.employers import helpers

    page.set_viewport_size({"width": 1280, "height": 900})
    reservist = helpers.reservist(language="nl", password=factories.PASSWORD)
    self_employed.declare(reservist, "0400000086", "BE71096123456769", date.today())
    calendar.served[(reservist.id, date.today().year)] = 4
    db.session.commit()
    page.goto("/login")
    pages.check()
    log_in(page, reservist.email, factories.PASSWORD)
    pages.check()
    _visit(page, pages, ["/reserve/employer/",
                         f"/reserve/employer/self-employed/statements/{date.today().year}"])
    page.goto("/reserve/employer/")
    page.locator("#self-iban").fill("BE00")  # not an IBAN: its error
    page.locator("main form[action$='/self-employed'] button").click()
    page.wait_for_load_state("load")
    assert page.title().startswith("Fout")
    pages.check()
    pages.finish()
