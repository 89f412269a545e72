"""The invitation letter's QR code in headless Chromium on a phone: the code leaves the
address bar, a wrong date of birth is refused, the right one opens a prefilled sign-up."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.extensions import db
from portal.invitations import services
from portal.invitations.models import Invitation
from tests.support import factories
from tests.support.mail import last_mail_to, links_in

pytestmark = pytest.mark.browser

EMAIL = "lotte.claes@example.be"
PASSWORD = "fietsen langs de leie"


def test_qr_link_date_of_birth_and_prefilled_account(page: Page, live_server):
    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    person = factories.person(cohort, postcode="9000", birth_date=date(2008, 3, 14),
                              first_names="Lotte Marie", last_name="Claes")
    invitation, code = services.issue_invitation(person, cohort, actor=None)
    db.session.commit()

    page.goto(f"/start?code={code}")
    expect(page).to_have_url(re.compile(r"/start$"))  # the code is gone from the URL
    expect(page.get_by_label("Uitnodigingscode")).to_have_value(code)

    page.get_by_label("Geboortedatum").fill("2008-03-15")
    page.get_by_role("button", name="Verder").click()
    expect(page.locator("#code-error")).to_contain_text("openen geen uitnodiging")

    page.get_by_label("Geboortedatum").fill("2008-03-14")
    page.get_by_role("button", name="Verder").click()
    expect(page).to_have_url(re.compile(r"/start/account$"))
    expect(page.get_by_label("Voornaam")).to_have_value("Lotte")
    expect(page.get_by_label("Achternaam")).to_have_value("Claes")
    expect(page.get_by_role("combobox", name="Taal")).to_have_value("nl")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_label("E-mailadres").fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Mijn account aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekijk je e-mail")

    [verify] = [u for u in links_in(last_mail_to(EMAIL)) if "/verify-email/" in u]
    page.goto(verify)
    expect(page).to_have_url(re.compile(r"/login$"))
    db.session.expire_all()
    used = db.session.get(Invitation, invitation.id)
    assert used.used_at is not None
    assert db.session.get(User, used.user_id).email == EMAIL
