"""One person's whole year in Chromium, in Dutch on a phone, with no shell step: the
invitation letter printed by the letter run, sign-up with its code, an application, the
selection day, two recruiters (four eyes), the offer accepted, the service year started and
ended by the daily commands, the Reserve chosen and approved, the employer signing through
the e-mailed link, a training period planned, and its last day's attendance recorded.

Time moves as in an acceptance environment: the portal's day (`TODAY`, PORTAL_TODAY) is set
and the daily commands of the README's cron list run for it. Only the register extract, the
intake, the Reserve unit and the staff accounts are seeded, as the other journeys do. Every
page reached gets axe-core and the Nu Html Checker."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from portal.applications.models import Application, Status
from portal.extensions import db
from portal.reserve.models import Assignment, AssignmentStatus, Engagement, EngagementStatus
from portal.reserve.year_end import add_months
from tests.browser.checks import Pages
from tests.browser.conftest import log_in
from tests.browser.journeys import fits_the_screen, t
from tests.support import factories
from tests.support import reserve as reserve_scene
from tests.support.candidate import born_aged, step_data
from tests.support.letters import pdf_text
from tests.support.mail import last_mail_to, links_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
EMAIL = "lotte.peeters@example.be"
PASSWORD = "een lange en ongewone wachtzin"
HR = "hr@bakkerij-janssens.example.be"
CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]\b")
# The operator's cron list (README), in its order.
DAILY = [["notifications", "remind"], ["applications", "expire-offers"],
         ["applications", "start-service"], ["reserve", "close-years"],
         ["reserve", "remind-choices"], ["reserve", "start-engagements"],
         ["deliveries", "sweep"]]


def _(message, **values):
    return t(message, "nl", **values)


class Year:
    """The portal's day, moved as an acceptance environment moves it: set the day, run the
    daily commands for it. Keeps what each command printed."""

    def __init__(self, app, monkeypatch):
        self.app, self.monkeypatch, self.said = app, monkeypatch, {}

    def goes_to(self, day: date) -> None:
        self.monkeypatch.setitem(self.app.config, "TODAY", day)
        runner = self.app.test_cli_runner()
        for command in DAILY:
            result = runner.invoke(args=command)
            assert result.exit_code == 0, (command, result.output)
            self.said[" ".join(command)] = result.output
        db.session.expire_all()


def _staff(browser, live_server, user, pages: Pages):
    """A staff member's own browser (desktop), logged in with their second factor."""
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="nl-BE")
    page = context.new_page()
    watched = Pages(page, live_server)
    page.goto("/login")
    watched.check()
    log_in(page, user.email, factories.PASSWORD, watched)
    watched.check()
    return context, page, watched


def _menu(page, label: str) -> None:
    page.get_by_role("navigation", name=_("Main menu")).get_by_role(
        "link", name=_(label)).first.click()


def _check_new(watched: Pages) -> None:
    """axe on a page this journey has not checked yet (a list it passes through again)."""
    if Pages._path(watched.page.url) not in watched.checked:
        watched.check()


def _open_application(staff, watched: Pages, intake, application) -> None:
    """A recruiter's way to an application: the menu, the intake, the reference."""
    _menu(staff, "Review applications")
    _check_new(watched)
    staff.get_by_role("link", name=intake.name).first.click()
    _check_new(watched)
    staff.get_by_role("link", name=application.reference).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Peeters")
    watched.check()


def _my_application(page, pages: Pages, application) -> None:
    """The candidate's way to her application: the menu, then its reference if listed."""
    _menu(page, "My application")
    link = page.get_by_role("link", name=application.reference)
    if link.count():
        _check_new(pages)
        link.first.click()
    expect(page.locator("main")).to_contain_text(application.reference)
    pages.check()


def _done(context, watched: Pages, pages: Pages) -> None:
    pages.include(watched)
    context.close()


def _letter_code(app, cohort, tmp_path) -> str:
    """The letter run prints the cohort's invitations; the code is read from the PDF."""
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    [pdf] = [p for p in tmp_path.rglob("*.pdf")]
    codes = set(CODE.findall(" ".join(pdf_text(pdf.read_bytes()).split())))
    assert len(codes) == 1, codes
    return codes.pop()


def _sign_up(page, pages, code: str, birth: date) -> None:
    page.goto("/start")
    pages.check()
    page.get_by_label(_("Invitation code")).fill(code)
    page.get_by_label(_("Date of birth")).fill(birth.isoformat())
    page.get_by_role("button", name=_("Continue")).click()
    expect(page).to_have_url(re.compile(r"/start/account$"))
    expect(page.get_by_label(_("First name"))).to_have_value("Lotte")
    pages.check()
    page.get_by_label(_("E-mail address")).fill(EMAIL)
    page.get_by_label(_("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(_("Repeat the password")).fill(PASSWORD)
    page.get_by_role("button", name=_("Create my account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Check your e-mail"))
    pages.check()
    [verify] = [u for u in links_in(last_mail_to(EMAIL)) if "/verify-email/" in u]
    page.goto(verify)
    expect(page).to_have_url(re.compile(r"/login$"))
    pages.check()
    log_in(page, EMAIL, PASSWORD, pages)
    pages.check()


def _apply(page, pages, intake, person) -> None:
    steps = step_data(intake)
    _menu(page, "Apply")
    expect(page.get_by_role("heading", name=intake.name)).to_be_visible()
    pages.check()
    page.get_by_role("link", name=_("Choose a session")).first.click()
    pages.check()
    page.get_by_role("button", name=_("Book")).click()
    expect(page.get_by_role("button", name=_("Start my application"))).to_be_visible()
    pages.check()
    page.get_by_role("button", name=_("Start my application")).click()

    expect(page.get_by_role("heading", name=_("Personal details"))).to_be_visible()
    pages.check()
    expect(page.get_by_label(_("First name"))).to_have_value("Lotte Maria")
    number = page.get_by_label(_("National register number"))
    if number.count():  # the register's number, when the form still asks for it
        number.fill(person.national_number)
    page.get_by_label(_("Belgian"), exact=True).check()
    page.get_by_role("button", name=_("Save and continue")).click()
    contact = {**steps["contact"], "street": "Veldstraat", "postcode": "9000",
               "municipality": "Gent"}
    for label, key in (("Mobile phone number", "phone"), ("Street", "street"),
                       ("House number", "house_number"), ("Postcode", "postcode"),
                       ("Municipality", "municipality")):
        page.get_by_label(_(label), exact=True).fill(contact[key])
    pages.check()
    page.get_by_role("button", name=_("Save and continue")).click()
    page.get_by_label(_("Upper secondary education (diploma)")).check()
    pages.check()
    page.get_by_role("button", name=_("Save and continue")).click()
    page.get_by_label(_("First choice")).select_option("air")
    page.get_by_label(_("Technical and maintenance")).check()
    pages.check()
    page.get_by_role("button", name=_("Save and continue")).click()
    page.get_by_label(_("Earliest date you can start")).fill(intake.start_date.isoformat())
    page.get_by_label(_("Why do you want to do the service year?")).fill(
        steps["motivation"]["motivation"])
    pages.check()
    page.get_by_role("button", name=_("Save and continue")).click()
    page.wait_for_url("**/step/health")  # .all() takes the groups of the page now shown
    for group in page.get_by_role("group").all():
        group.get_by_label(_("No"), exact=True).check()
    pages.check()
    page.get_by_role("button", name=_("Save and continue")).click()
    page.get_by_label(_("I agree that Defence processes these data to handle my application, as "
                     "described above.")).check()
    pages.check()
    page.get_by_role("button", name=_("Save and continue")).click()
    expect(page.get_by_role("heading", name=_("Check and send"))).to_be_visible()
    pages.check()
    page.get_by_role("button", name=_("Send my application")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        _("Your application is submitted. You will find the acknowledgement letter below."))
    assert fits_the_screen(page)
    pages.check()


def test_a_whole_year_from_the_letter_to_the_last_training_day(
        page: Page, pages, live_server, browser, app, monkeypatch, tmp_path):
    year = Year(app, monkeypatch)
    first_day = date.today()
    monkeypatch.setitem(app.config, "TODAY", first_day)
    monkeypatch.setitem(app.config, "LETTER_WORKERS", 1)
    # Seeded as the other journeys seed them: the register extract, an intake with an
    # information session, a Reserve unit, and the staff.
    intake = factories.intake(name="Dienstjaar Gent")
    factories.info_session(intake, place="Kwartier Peutie, Vilvoorde")
    birth = born_aged(19, intake.start_date)
    cohort = factories.cohort(born_from=date(birth.year, 1, 1), born_to=date(birth.year, 12, 31))
    person = factories.person(cohort, postcode="9000", birth_date=birth,
                              first_names="Lotte Maria", last_name="Peeters")
    eva = factories.user("recruiter", email="eva.janssens@mil.be", language="nl",
                         first_name="Eva", last_name="Janssens")
    jonas = factories.user("recruiter", email="jonas.maes@mil.be", language="nl",
                           first_name="Jonas", last_name="Maes")
    doctor = factories.user("medical_staff", email="dr.claes@mil.be", language="nl")
    officer = factories.user("security_officer", email="pieter.claes@mil.be", language="nl")
    planner = factories.user("unit_staff", email="sofie.wouters@mil.be", language="nl",
                             first_name="Sofie", last_name="Wouters")
    logistics = reserve_scene.skill("logistics", name_nl="Logistiek en transport")
    lancers = reserve_scene.unit(pillar="combat", province="east_flanders",
                                 skills=[logistics], staff=[planner],
                                 name="3rd Lancers Reserve Company", place="Lombardsijde")
    db.session.commit()

    # 1. The letter run prints the invitation; Lotte signs up with its code and applies.
    code = _letter_code(app, cohort, tmp_path)
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_up(page, pages, code, birth)
    _apply(page, pages, intake, person)
    db.session.expire_all()
    application = db.session.scalar(db.select(Application))
    assert application.status == Status.SUBMITTED

    # 2. Eva adds a selection day, screens and convokes Lotte to it.
    selection_day = first_day + timedelta(days=14)
    eva_context, staff, eva_pages = _staff(browser, live_server, eva, pages)
    watched = eva_pages
    _open_application(staff, watched, intake, application)
    staff.get_by_role("button", name=_("Start screening")).click()
    expect(staff.get_by_role("link", name=_("Add a selection day first."))).to_be_visible()
    watched.check()
    staff.get_by_role("link", name=_("Add a selection day first.")).click()
    watched.check()
    staff.get_by_label(_("Date"), exact=True).fill(selection_day.isoformat())
    staff.get_by_label(_("Places"), exact=True).fill("20")
    staff.get_by_role("button", name=_("Add the selection day")).click()
    expect(staff.get_by_role("status").first).to_be_visible()
    watched.check()
    _open_application(staff, watched, intake, application)
    staff.get_by_role("button", name=_("Schedule the tests")).click()
    expect(staff.get_by_role("button", name=_("Record the result"))).to_be_visible()
    watched.check()
    staff.get_by_role("button", name=_("Ask for the security screening")).click()
    expect(staff.locator("#security-status")).to_have_text(_("Security screening in progress"))
    watched.check()

    # Lotte sees her convocation on her application's page, and her screening under way.
    _my_application(page, pages, application)
    expect(page.locator("main")).to_contain_text("Kwartier")
    expect(page.locator("#security-screening")).to_contain_text(_("In progress"))

    # The vetting authority answers: a security officer records the favourable outcome.
    vetting_context, desk, desk_pages = _staff(browser, live_server, officer, pages)
    _menu(desk, "Security screening")
    desk_pages.check()
    desk.get_by_role("row", name=re.compile(application.reference)).get_by_role("link").click()
    desk_pages.check()
    desk.get_by_label(_("Favourable"), exact=True).check()
    desk.get_by_role("button", name=_("Record the outcome")).click()
    expect(desk.get_by_text(_("Outcome of the security screening recorded."))).to_be_visible()
    desk_pages.check()
    _done(vetting_context, desk_pages, pages)
    _my_application(page, pages, application)
    expect(page.locator("#security-screening")).to_contain_text(_("Done"))

    # 3. The selection day: medical staff, then Eva's tests and proposal; Jonas confirms.
    year.goes_to(selection_day)
    doctor_context, ward, ward_pages = _staff(browser, live_server, doctor, pages)
    _menu(ward, "Medical tests")
    ward_pages.check()
    ward.get_by_role("link", name=application.reference).click()
    ward_pages.check()
    ward.get_by_label(_("Medically fit"), exact=True).check()
    ward.get_by_role("button", name=_("Record the medical test")).click()
    expect(ward.get_by_text(_("Medical test recorded."))).to_be_visible()
    ward_pages.check()
    _done(doctor_context, ward_pages, watched)

    staff.reload()
    for index in range(3):  # psychotechnical, sports, interview
        staff.get_by_label(_("Test"), exact=True).select_option(index=index)
        staff.get_by_label(_("Passed"), exact=True).check()
        staff.get_by_label(_("Score (0 to 100)")).fill(f"7{index}")
        staff.get_by_role("button", name=_("Record the result")).click()
        expect(staff.locator("#tests-title ~ .table-scroll table tbody tr")
               ).to_have_count(index + 1)
    watched.check()
    staff.get_by_role("button", name=_("Conclude the tests")).click()
    expect(staff.get_by_role("heading", name=_("Propose to select"))).to_be_visible()
    watched.check()
    staff.get_by_role("button", name=_("Propose to select")).click()
    expect(staff.get_by_text(_("A second recruiter must confirm your proposal."))
           ).to_be_visible()
    watched.check()

    context, staff, watched = _staff(browser, live_server, jonas, pages)
    _open_application(staff, watched, intake, application)
    staff.get_by_role("button", name=_("Confirm the decision")).click()
    expect(staff.get_by_role("status").first).to_be_visible()
    watched.check()
    _done(context, watched, pages)

    # 4. Lotte accepts her place from her application's page.
    _my_application(page, pages, application)
    page.get_by_role("link", name=_("Answer the offer")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("You are offered a place"))
    pages.check()
    page.get_by_role("button", name=_("I accept my place")).click()
    expect(page.get_by_text(_("Thank you: you accepted the offer.")).first).to_be_visible()
    pages.check()

    # 5. The intake's start date: the daily commands start her service year ...
    year.goes_to(intake.start_date)
    assert "1 service year(s) started." in year.said["applications start-service"]
    _my_application(page, pages, application)
    expect(page.locator("main .tag").first).to_have_text(_("In service"))

    # ... and end it twelve months later: the question after the year comes first.
    year_end = add_months(intake.start_date, app.config["SERVICE_YEAR_MONTHS"])
    year.goes_to(year_end)
    assert "1 service year(s) completed." in year.said["reserve close-years"]
    page.goto("/")
    pages.check()
    banner = page.get_by_role("region", name=_("After your service year"))
    banner.get_by_role("link", name=_("Make my choice")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("After your service year"))
    pages.check()
    page.get_by_label(_("Join the Reserve")).check()
    page.get_by_role("button", name=_("Send my choice")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Apply to the Reserve"))
    pages.check()

    # 6. She applies to the Reserve with the suggested unit.
    page.get_by_label(_("Combat reserve")).check()
    page.get_by_label(_("Days per year you can give")).fill("10")
    page.get_by_label("Logistiek en transport").check()
    page.get_by_label(_("Street and number")).fill("Veldstraat 12")
    page.get_by_label(_("Postcode")).fill("9000")
    page.get_by_role("button", name=_("Suggest units for me")).click()
    expect(page.locator("#suggestions")).to_contain_text(lancers.name)
    pages.check()
    page.get_by_label(_("First choice of unit")).select_option(str(lancers.id))
    page.get_by_role("button", name=_("Send my application")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        _("Your application to the Reserve is in."))
    assert fits_the_screen(page)
    pages.check()
    db.session.expire_all()
    engagement = db.session.scalar(db.select(Engagement))

    # 7. Eva approves, with the start date a month on.
    engagement_start = year_end + timedelta(days=30)
    staff, watched = eva_pages.page, eva_pages
    _menu(staff, "Reserve applications")
    watched.check()
    staff.get_by_role("link", name=re.compile(engagement.reference)).click()
    watched.check()
    staff.get_by_role("button", name=_("Start screening")).click()
    expect(staff.locator("main .tag").first).to_have_text(_("Being screened"))
    watched.check()
    staff.locator("input[type=date]").fill(engagement_start.isoformat())
    staff.get_by_role("button", name=_("Approve")).click()
    expect(staff.get_by_role("status").first).to_contain_text(
        _("Done: %(status)s.", status=_("Approved")))
    watched.check()
    _done(eva_context, eva_pages, pages)

    # 8. The unit plans a refresher after the start and assigns Lotte.
    period_start = engagement_start + timedelta(days=21)
    last_day = period_start + timedelta(days=2)
    context, unit_page, unit_pages = _staff(browser, live_server, planner, pages)
    unit_page.get_by_role("link", name=_("Training year")).first.click()
    unit_pages.check()
    unit_page.get_by_role("link", name=lancers.name).click()
    unit_pages.check()
    unit_page.get_by_role("link", name=_("Plan a training period")).click()
    unit_pages.check()
    unit_page.get_by_label(_("Kind")).select_option("refresher")
    unit_page.get_by_label(_("First day")).fill(period_start.isoformat())
    unit_page.get_by_label(_("Last day")).fill(last_day.isoformat())
    unit_page.get_by_label(_("Place")).fill("Kamp Elsenborn")
    unit_page.get_by_label(_("Capacity (reservists)")).fill("12")
    unit_page.get_by_role("button", name=_("Plan the period")).click()
    expect(unit_page.get_by_role("status").first).to_contain_text(
        _("The training period is planned."))
    unit_pages.check()
    unit_page.get_by_label(_("Reservist"), exact=True).select_option(
        label=f"Lotte Peeters ({engagement.reference})")
    unit_page.get_by_role("button", name=_("Assign"), exact=True).click()
    expect(unit_page.get_by_role("status").first).to_contain_text(
        _("The reservist is assigned and informed."))
    unit_pages.check()

    # 9. Lotte names her employer, from the menu; the HR contact signs through the e-mail.
    _menu(page, "My employer")
    pages.check()
    page.get_by_label(_("Enterprise number (KBO/BCE)"), exact=True).fill("0400.000.086")
    page.get_by_label(_("Company name")).fill("Bakkerij Janssens BV")
    page.get_by_label(_("E-mail address of your HR contact")).fill(HR)
    page.get_by_role("button", name=_("Save")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        _("We sent your HR contact a link to the agreement."))
    pages.check()

    [link] = [u for u in links_in(last_mail_to(HR)) if "/employer/link/" in u]
    hr_context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="nl-BE")
    hr = hr_context.new_page()
    hr_pages = Pages(hr, live_server)
    hr.goto(link)
    hr_pages.check()
    hr.get_by_label(_("First name"), exact=True).fill("Karin")
    hr.get_by_label(_("Last name"), exact=True).fill("Maes")
    hr.get_by_role("button", name=_("Continue")).click()
    expect(hr.locator("main")).to_contain_text("Lotte Peeters")
    hr_pages.check()
    hr.get_by_label(_("Your function")).fill("Zaakvoerder")
    hr.get_by_label(_("Street"), exact=True).fill("Kerkstraat")
    hr.get_by_label(_("House number"), exact=True).fill("12")
    hr.get_by_label(_("Postcode"), exact=True).fill("9000")
    hr.get_by_label(_("Municipality"), exact=True).fill("Gent")
    hr.get_by_label(_("I sign this agreement on behalf of the company")).check()
    hr.get_by_role("button", name=_("Sign the agreement")).click()
    expect(hr.get_by_role("heading", level=1)).to_contain_text(_("signed"))
    hr_pages.check()
    card = hr.locator("main section.card", has_text="Kamp Elsenborn")
    card.get_by_role("button", name=_("Confirm")).click()
    expect(hr.get_by_role("status").first).to_contain_text(
        _("Your answer is saved; the reservist and the unit see it now."))
    hr_pages.check()
    _done(hr_context, hr_pages, pages)

    # 10. Lotte confirms the period in her training year.
    _menu(page, "Reserve")
    pages.check()
    page.get_by_role("link", name=engagement.reference).click()
    pages.check()
    page.get_by_role("link", name=_("My training year")).click()
    pages.check()
    if period_start.year != year_end.year:
        page.get_by_role("link", name=f"{period_start.year} →").click()
        pages.check()
    row = page.locator("main tbody tr", has_text="Kamp Elsenborn")
    row.get_by_role("button", name=_("Confirm")).click()
    expect(page.get_by_role("status").first).to_contain_text(_("You confirmed the period."))
    pages.check()

    # 11. The engagement starts; on the period's last day the unit records attendance.
    year.goes_to(engagement_start)
    assert "1 engagement(s) moved." in year.said["reserve start-engagements"]
    year.goes_to(last_day)
    unit_page.reload()  # the planner's page of the period, still open
    row = unit_page.get_by_role("table", name=_("Assigned reservists")).get_by_role(
        "row", name="Lotte Peeters")
    row.get_by_label(_("Days served")).fill("3")
    unit_pages.check()
    row.get_by_role("button", name=_("Record attendance")).click()
    expect(unit_page.get_by_role("status").first).to_contain_text(_("Saved."))
    unit_pages.check()
    _done(context, unit_pages, pages)

    db.session.expire_all()
    engagement = db.session.get(Engagement, engagement.id)
    assert engagement.status == EngagementStatus.ACTIVE
    assignment = db.session.scalar(db.select(Assignment))
    assert (assignment.status, assignment.served_days) == (AssignmentStatus.SERVED, 3)
    assert db.session.get(Application, application.id).status == Status.RESERVE
    pages.finish()
