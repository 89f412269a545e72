"""An HR person of a small company, from the e-mailed link to a signed agreement in at most
three pages without choosing a password, then the answer to a reservist's training period;
once in each language, on a phone and a desktop, with axe-core and the Nu Html Checker on
every page reached."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from portal.employers import services
from portal.employers.models import Agreement, PeriodAnswer
from portal.extensions import db
from portal.reserve import training
from portal.reserve.models import EngagementStatus
from tests.browser.conftest import PHONE
from tests.browser.journeys import fits_the_screen, on_screen, t
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.mail import last_mail_to, links_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
# Each language once; a phone for two of them (the journeys stay quick).
RUNS = [pytest.param("nl", PHONE, "Bakkerij Janssens BV", id="nl-phone"),
        pytest.param("fr", DESKTOP, "Boulangerie Lambert SRL", id="fr-desktop"),
        pytest.param("de", PHONE, "Bäckerei Schmitz GmbH", id="de-phone")]


@pytest.mark.parametrize(("language", "viewport", "company"), RUNS)
def test_from_the_email_link_to_a_signed_agreement_and_a_confirmed_period(
        page: Page, pages, live_server, language, viewport, company):
    def _(message, **values):
        return t(message, language, **values)

    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    hr = f"hr.{language}@bakkerij.example.be"
    # A reservist of a unit, with a training period planned, names their employer.
    unit_staff = factories.user("unit_staff")
    unit = helpers.unit(pillar="combat", staff=[unit_staff], name="3rd Lancers Reserve Company")
    reservist = factories.user(first_name="An", last_name="Peeters", language=language)
    engagement = helpers.engagement(reservist, status=EngagementStatus.ACTIVE, unit=unit)
    starts = date.today() + timedelta(days=75)
    period = training.plan_period(unit, unit_staff, kind="refresher", starts_on=starts,
                                  ends_on=starts + timedelta(days=2), place="Kamp Elsenborn",
                                  capacity=20)
    training.assign(period, engagement, unit_staff)
    services.nominate(reservist, enterprise_number="0400.000.086", name=company, hr_email=hr,
                      hold=False)
    db.session.commit()
    [link] = [u for u in links_in(last_mail_to(hr)) if "/employer/link/" in u]

    loads = []
    page.on("load", lambda p: loads.append(p.url))

    page.goto(link)  # page 1: who you are (no password)
    expect(page.get_by_role("heading", level=1)).to_have_text(company)
    expect(page.locator("main #language")).to_have_value(language)
    assert fits_the_screen(page)
    pages.check()
    page.get_by_label(_("First name"), exact=True).fill("Karin")
    page.get_by_label(_("Last name"), exact=True).fill("Maes")
    page.get_by_role("button", name=_("Continue")).click()

    # Page 2: the proposed agreement and its terms, signed right there.
    expect(page.get_by_role("heading", level=1)).to_contain_text(_("Employer agreement"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(_("proposed"))
    expect(page.locator("main")).to_contain_text("An Peeters")
    assert fits_the_screen(page)
    pages.check()
    expect(page.get_by_label(_("Your name"), exact=True)).to_have_value("Karin Maes")
    page.get_by_label(_("Your function")).fill("Zaakvoerder")
    # The enterprise's postal address, where its letters go; the signer is the contact.
    page.get_by_label(_("Street"), exact=True).fill("Kerkstraat")
    page.get_by_label(_("House number"), exact=True).fill("12")
    page.get_by_label(_("Postcode"), exact=True).fill("9000")
    page.get_by_label(_("Municipality"), exact=True).fill("Gent")
    expect(page.get_by_label(_("Name of the person our letters are addressed to"))
           ).to_have_value("Karin Maes")
    page.get_by_label(_("I sign this agreement on behalf of the company")).check()
    page.get_by_role("button", name=_("Sign the agreement")).click()

    # Page 3: signed, with the agreement letter and the reservist's planned period.
    expect(page.get_by_role("status").first).to_contain_text(_(
        "The agreement is signed. We sent the agreement letter to you and to the reservist."))
    expect(page.get_by_role("heading", level=1)).to_contain_text(_("signed"))
    letter = page.get_by_role("link", name=_("The agreement letter (PDF)"))
    expect(letter).to_be_visible()
    assert fits_the_screen(page)
    pages.check()
    assert len(loads) == 3, loads  # at most three; this journey needs exactly three
    pdf = page.request.get(letter.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    expect(page.get_by_role("heading", name=_("Planned training periods"))).to_be_visible()
    card = page.locator("main section.card", has_text="Kamp Elsenborn")
    expect(card).to_contain_text(_("%(days)d days", days=3))
    confirm = card.get_by_role("button", name=_("Confirm"))
    on_screen(confirm)
    confirm.click()
    expect(page.get_by_role("status").first).to_contain_text(
        _("Your answer is saved; the reservist and the unit see it now."))
    card = page.locator("main section.card", has_text="Kamp Elsenborn")
    expect(card).to_contain_text(_("Your answer:") + " " + _("confirmed"))
    expect(card.get_by_role("button", name=_("Confirm"))).to_have_count(0)
    assert fits_the_screen(page)
    pages.check()

    page.get_by_role("link", name=_("All agreements of your enterprises")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Employer space"))
    row = page.get_by_role("row", name="An Peeters")
    expect(row).to_contain_text(_("signed"))
    assert fits_the_screen(page)
    pages.check()
    pages.finish()

    db.session.expire_all()
    agreement = db.session.scalar(db.select(Agreement))
    assert (agreement.status, agreement.signed_name, agreement.signed_function) == (
        "signed", "Karin Maes", "Zaakvoerder")
    assert (agreement.employer.street, agreement.employer.postcode,
            agreement.employer.contact_name) == ("Kerkstraat", "9000", "Karin Maes")
    answer = db.session.scalar(db.select(PeriodAnswer))
    assert (answer.agreement_id, answer.answer) == (agreement.id, "confirmed")
