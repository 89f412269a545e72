"""In a real (headless) Chromium on a phone-sized screen: from login to a submitted application."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.applications.models import Application, Status
from portal.extensions import db
from tests.browser.conftest import PHONE
from tests.support import factories
from tests.support.candidate import step_data


@pytest.mark.browser
def test_a_candidate_applies_on_a_phone_from_login_to_acknowledgement(live_server, page):
    user = factories.user(email="lotte@example.be", language="en")
    intake = factories.intake(name="Dienstjaar 2027", quota_medical=0, quota_cyber=0,
                              quota_land=7, quota_air=2, quota_navy=1)
    factories.info_session(intake, place="Kwartier Peutie, Vilvoorde")
    db.session.commit()
    steps = step_data(intake)

    page.goto(f"{live_server}/login?lang=en")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server}/apply")
    expect(page.get_by_role("heading", name="Dienstjaar 2027")).to_be_visible()
    page.get_by_role("link", name="Choose a session").first.click()
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text("Your place is booked")).to_be_visible()
    page.get_by_role("button", name="Start my application").click()

    personal = steps["personal"]
    expect(page.get_by_role("heading", name="Personal details")).to_be_visible()
    page.get_by_label("First name").fill(personal["first_name"])
    page.get_by_label("Last name").fill(personal["last_name"])
    page.get_by_label("Date of birth").fill(personal["birth_date"])
    page.get_by_label("National register number").fill(personal["national_number"])
    page.get_by_label("Belgian", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    contact = steps["contact"]
    for label, key in (("Mobile phone number", "phone"), ("Street", "street"),
                       ("House number", "house_number"), ("Postcode", "postcode"),
                       ("Municipality", "municipality")):
        page.get_by_label(label, exact=True).fill(contact[key])
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Upper secondary education (diploma)").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("First choice").select_option("air")
    page.get_by_label("Technical and maintenance").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Earliest date you can start").fill(intake.start_date.isoformat())
    page.get_by_label("Why do you want to do the service year?").fill(
        steps["motivation"]["motivation"])
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/step/health")  # .all() takes the groups of the page now shown
    for group in page.get_by_role("group").all():
        group.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("I agree that Defence processes these data").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Check and send")).to_be_visible()
    expect(page.get_by_text("Before you can send your application")).to_have_count(0)
    page.get_by_role("button", name="Send my application").click()

    expect(page.get_by_text("Your application is submitted.")).to_be_visible()
    expect(page.get_by_text("Sent", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Acknowledgement of your application")).to_be_visible()
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    db.session.expire_all()
    application = db.session.scalar(db.select(Application))
    assert application.status == Status.SUBMITTED and application.component == "air"
