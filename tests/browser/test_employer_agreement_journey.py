"""An HR person of a small company, on a phone: from the e-mailed link to a signed
agreement in at most three pages, without choosing a password."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.employers import services
from portal.employers.models import Agreement
from portal.extensions import db
from tests.support import factories
from tests.support.mail import last_mail_to, links_in

pytestmark = pytest.mark.browser

HR = "hr@bakkerij-janssens.be"


def _fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_from_the_email_link_to_a_signed_agreement_in_three_pages(page: Page, live_server):
    reservist = factories.user(role="citizen", first_name="An", last_name="Peeters")
    services.nominate(reservist, enterprise_number="0400.000.086",
                      name="Bakkerij Janssens BV", hr_email=HR, hold=False)
    db.session.commit()
    [link] = [u for u in links_in(last_mail_to(HR)) if "/employer/link/" in u]

    pages = []
    page.on("load", lambda p: pages.append(p.url))

    page.goto(link)  # page 1: who you are (no password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bakkerij Janssens BV")
    assert _fits_the_screen(page)
    page.get_by_label("Voornaam").fill("Karin")
    page.get_by_label("Achternaam").fill("Maes")
    page.get_by_role("button", name="Verder").click()

    # Page 2: the proposed agreement and its terms, signed right there.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Werkgeversovereenkomst")
    expect(page.locator("main")).to_contain_text("An Peeters")
    assert _fits_the_screen(page)
    expect(page.get_by_label("Je naam")).to_have_value("Karin Maes")
    page.get_by_label("Je functie").fill("Zaakvoerder")
    page.get_by_label("Ik onderteken deze overeenkomst namens het bedrijf").check()
    page.get_by_role("button", name="De overeenkomst ondertekenen").click()

    # Page 3: signed, with the agreement letter.
    expect(page.get_by_role("status").first).to_contain_text("De overeenkomst is ondertekend")
    expect(page.get_by_role("link", name="De brief met de overeenkomst (pdf)")).to_be_visible()
    assert _fits_the_screen(page)
    assert len(pages) == 3, pages  # at most three; this journey needs exactly three
    db.session.expire_all()
    agreement = db.session.scalar(db.select(Agreement))
    assert (agreement.status, agreement.signed_name, agreement.signed_function) == (
        "signed", "Karin Maes", "Zaakvoerder")
