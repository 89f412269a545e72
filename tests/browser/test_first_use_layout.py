"""What a first use found on screens: in real Chromium, at phone width, 320 px and 200% zoom."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.applications.models import Status
from portal.extensions import db
from tests.browser.conftest import log_in
from tests.support import factories
from tests.support import review as scene

pytestmark = pytest.mark.browser

# WCAG contrast of an element's text on its own (or nearest painted) background.
CONTRAST = """el => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => v / 255).map(
      v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let bg = el, color = getComputedStyle(el).backgroundColor;
  while (bg && (color === 'rgba(0, 0, 0, 0)' || color === 'transparent')) {
    bg = bg.parentElement; color = bg ? getComputedStyle(bg).backgroundColor : 'rgb(255,255,255)';
  }
  const a = lum(getComputedStyle(el).color), b = lum(color);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def _fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_book_button_is_on_screen_on_a_phone(live_server, page):
    user = factories.user(language="fr")
    intake = factories.intake(name="Année de service 2027")
    factories.info_session(intake, place="Quartier Reine Elisabeth, Evere, bâtiment 12")
    db.session.commit()
    log_in(page, user.email, factories.PASSWORD)
    page.goto(f"/apply/{intake.id}/sessions")
    button = page.get_by_role("button", name="Réserver")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert _fits(page, 390)
    button.click()
    expect(page.get_by_role("status").first).to_be_visible()


def test_after_submitting_withdraw_is_quiet_and_danger_buttons_are_readable(live_server, page):
    user = factories.user(language="de")
    intake = factories.intake()
    application = scene.application(intake, status=Status.SUBMITTED, user=user, language="de")
    db.session.commit()
    log_in(page, user.email, factories.PASSWORD)
    page.goto(f"/my-application/{application.id}")
    withdraw = page.get_by_role("link", name="Meine Bewerbung zurückziehen")
    expect(withdraw).to_be_visible()
    # Not a filled red button, and below the letters and the history.
    assert withdraw.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    letters = page.get_by_role("heading", name="Deine Briefe")
    assert withdraw.bounding_box()["y"] > letters.bounding_box()["y"]
    assert withdraw.evaluate(CONTRAST) >= 4.5
    withdraw.click()
    confirm = page.locator("main button.danger")
    expect(confirm).to_be_visible()
    assert confirm.evaluate(CONTRAST) >= 4.5
    assert confirm.evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)") > 4


def test_staff_tables_fit_320_px_and_200_percent_zoom(live_server, browser):
    admin = factories.user(role="admin", language="nl")
    intake = factories.intake()
    for i in range(3):
        scene.application(intake, status=Status.SUBMITTED, score=60 + i)
    factories.cohort()
    db.session.commit()
    for viewport, scale in (({"width": 320, "height": 640}, 1), ({"width": 640, "height": 400}, 2)):
        context = browser.new_context(base_url=live_server, viewport=viewport,
                                      device_scale_factor=scale, locale="nl-BE")
        page = context.new_page()
        log_in(page, admin.email, factories.PASSWORD)
        for url in (f"/review/intakes/{intake.id}", "/admin/audit",
                    "/admin/intakes/", "/admin/staff", "/admin/cohorts"):
            page.goto(url)
            assert _fits(page, viewport["width"]), (url, viewport)
            for region in page.locator(".table-scroll").all():
                assert region.evaluate("e => e.scrollWidth <= e.clientWidth"), (url, viewport)
            # Each cell says which column it belongs to.
            first = page.locator("table.stacked tbody td").first
            assert first.get_attribute("data-label"), url
        context.close()


def test_the_audit_log_region_can_be_scrolled_with_the_keyboard(live_server, page):
    admin = factories.user(role="admin", language="nl")
    db.session.commit()
    log_in(page, admin.email, factories.PASSWORD)
    page.set_viewport_size({"width": 1024, "height": 700})
    page.goto("/admin/audit")
    region = page.get_by_role("region", name="Auditgebeurtenissen")
    assert region.get_attribute("tabindex") == "0"
    region.focus()
    expect(region).to_be_focused()


def test_a_form_with_errors_moves_the_focus_to_the_summary(live_server, page):
    page.goto("/sign-up?lang=fr")
    page.locator("main form button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Erreur")
    expect(summary.get_by_role("link").first).to_contain_text(":")

