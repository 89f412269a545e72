"""An administrator in German on a phone, in real Chromium: a cohort, a register extract with
bad rows, the invitation letter run followed without reloading, a print batch downloaded
(and audited); axe-core and the Nu Html Checker on every page reached."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from portal.audit import AuditEvent
from portal.extensions import db
from portal.invitations.sample import csv_bytes, national_number
from tests.browser.conftest import PHONE, log_in
from tests.browser.journeys import t
from tests.support import factories

pytestmark = pytest.mark.browser


def _(message: str, **values) -> str:
    return t(message, "de", **values)


def test_an_administrator_imports_a_cohort_runs_its_letters_and_downloads_a_batch(
        page: Page, pages, live_server, app, tmp_path):
    app.config["LETTER_RUN_DIR"] = str(tmp_path / "runs")
    admin = factories.user("admin", email="sofie.claes@mil.be", language="de")
    db.session.commit()
    born = date(date.today().year - 17, 5, 1)
    extract = tmp_path / "register.csv"
    extract.write_bytes(csv_bytes([
        [national_number(born, 11), "Schmitz", "Anna", f"{born:%d/%m/%Y}", "Kirchstraße", "3",
         "", "4700", "Eupen", "de"],
        [national_number(born, 13), "Peeters", "Lotte", f"{born:%d/%m/%Y}", "Veldstraat",
         "12", "", "9000", "Gent", ""],
        ["12345678901", "Fout", "Nummer", f"{born:%d/%m/%Y}", "Straat", "1", "", "9000",
         "Gent", ""],
        [national_number(born, 15), "Nergens", "Post", f"{born:%d/%m/%Y}", "Straat", "1", "",
         "0999", "Nergens", ""],
    ]))

    page.goto("/login")
    pages.check()
    log_in(page, admin.email, factories.PASSWORD, pages)
    pages.check()
    page.goto("/admin/cohorts")
    pages.check()
    page.get_by_label(_("Name")).fill(f"Jahrgang {born.year}")
    page.locator("#born_from").fill(date(born.year, 1, 1).isoformat())
    page.locator("#born_to").fill(date(born.year, 12, 31).isoformat())
    page.locator("#expires_on").fill((date.today() + timedelta(days=180)).isoformat())
    page.get_by_role("button", name=_("Create the cohort")).click()
    expect(page.get_by_role("heading", name=_("Import a register extract"))).to_be_visible()
    pages.check()
    page.locator("input[type=file]").set_input_files(str(extract))
    page.get_by_role("button", name=_("Import"), exact=True).click()
    expect(page.locator("#import-summary")).to_contain_text("4")
    expect(page.get_by_role("heading", name=_("Rejected rows"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    pages.check()

    page.goto("/admin/letter-runs")
    pages.check()
    page.get_by_role("button", name=_("Start the run")).click()
    expect(page).to_have_url(re.compile(r"/admin/letter-runs/\d+$"))
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    # The page follows the run by itself and shows the batches once it is done.
    batch = page.get_by_role("link", name=_("Batch %(n)s (PDF)", n=1))
    expect(batch).to_be_visible(timeout=90_000)
    pages.check()
    with page.expect_download() as download:
        batch.click()
    assert download.value.suggested_filename.endswith("-batch-0001.pdf")
    with open(download.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"
    db.session.expire_all()
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "letters.batch_downloaded")).actor_id == admin.id

    page.goto("/admin/audit")
    expect(page.get_by_text("letters.batch_downloaded")).to_be_visible()
    pages.check()
    pages.finish()
