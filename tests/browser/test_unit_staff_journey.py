"""A unit's planner (staff: two-step verification) plans a training period, assigns a
reservist, answers a swap request and records attendance at a period under way; once in
each language, on a desktop and on phones, with axe-core and the Nu Html Checker on every
page reached and nothing scrolling sideways. Then an administrator keeps the units and
their skills, once, on a phone."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.extensions import db
from portal.reserve import training
from portal.reserve.models import Assignment, AssignmentStatus, EngagementStatus, TrainingPeriod
from tests.browser.conftest import PHONE, log_in
from tests.browser.journeys import (
    fits_the_screen,
    label_clear_of,
    t,
    tappable_beside_its_label,
    tn,
)
from tests.support import factories
from tests.support import reserve as helpers

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
RUNS = [pytest.param("nl", DESKTOP, id="nl-desktop"), pytest.param("fr", PHONE, id="fr-phone"),
        pytest.param("de", PHONE, id="de-phone")]


def _reservist(unit, first_name: str, last_name: str, language: str):
    user = factories.user(language=language, first_name=first_name, last_name=last_name)
    return helpers.engagement(user, status=EngagementStatus.APPROVED, unit=unit)


@pytest.mark.parametrize(("language", "viewport"), RUNS)
def test_unit_staff_plan_assign_answer_a_swap_and_record_attendance(
        page: Page, pages, live_server, language, viewport):
    def _(message, **values):
        return t(message, language, **values)

    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    planner = factories.user("unit_staff", email=f"planner.{language}@mil.be",
                             language=language, first_name="Sofie", last_name="Wouters")
    unit = helpers.unit(name="3rd Lancers Reserve Company", staff=[planner])
    lotte = _reservist(unit, "Lotte", "Peeters", language)
    jonas = _reservist(unit, "Jonas", "Maes", language)
    # A period under way, with Jonas on it: its attendance is recorded today.
    under_way = helpers.period(unit, starts_in=-2, days=4, place="Kamp Beverlo")
    helpers.assignment(under_way, jonas, status=AssignmentStatus.CONFIRMED)
    db.session.commit()

    page.goto("/login")
    pages.check()
    log_in(page, planner.email, factories.PASSWORD, pages)
    pages.check()

    # The unit, from the menu.
    page.get_by_role("link", name=_("Training year")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Units"))
    assert fits_the_screen(page)
    pages.check()
    page.get_by_role("link", name=unit.name).click()
    year = date.today().year
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{unit.name} · {year}")
    expect(page.get_by_role("table", name=_("Training periods"))).to_contain_text("Kamp Beverlo")
    expect(page.get_by_role("table", name=_("Reservists: days planned and committed"))
           ).to_contain_text("Lotte Peeters")
    assert fits_the_screen(page)
    pages.check()

    # Plan a period: an empty form first (its errors are announced), then the real one.
    page.get_by_role("link", name=_("Plan a training period")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(_("Plan a training period"))
    assert fits_the_screen(page)
    pages.check()
    page.get_by_role("button", name=_("Plan the period")).click()
    expect(page.get_by_text(_("Give the place.")).first).to_be_visible()
    assert fits_the_screen(page)
    pages.check()
    starts = date.today() + timedelta(days=40)
    page.get_by_label(_("Kind")).select_option("refresher")
    page.get_by_label(_("First day")).fill(starts.isoformat())
    page.get_by_label(_("Last day")).fill((starts + timedelta(days=2)).isoformat())
    page.get_by_label(_("Place")).fill("Kamp Elsenborn")
    page.get_by_label(_("Capacity (reservists)")).fill("12")
    page.get_by_label(_("Notes for the reservists")).fill("Tenue C.")
    page.get_by_role("button", name=_("Plan the period")).click()
    expect(page.get_by_role("status").first).to_contain_text(_("The training period is planned."))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{_('Refresher training')} · {unit.name}")
    assert fits_the_screen(page)
    pages.check()

    # Assign Lotte.
    page.get_by_label(_("Reservist"), exact=True).select_option(label="Lotte Peeters ("
                                                                f"{lotte.reference})")
    page.get_by_role("button", name=_("Assign"), exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(
        _("The reservist is assigned and informed."))
    expect(page.get_by_role("heading", level=2, name=_("Assigned reservists"))).to_be_visible()
    expect(page.get_by_text(tn("%(num)d of %(capacity)d places taken",
                               "%(num)d of %(capacity)d places taken", 1, language,
                               capacity=12))).to_be_visible()
    table = page.get_by_role("table", name=_("Assigned reservists"))
    expect(table.get_by_role("row", name="Lotte Peeters")).to_contain_text(
        _("Planned: please confirm"))
    assert fits_the_screen(page)
    pages.check()

    # Lotte asks to swap (on her own pages, not this journey's); the planner refuses.
    db.session.expire_all()
    period = db.session.scalar(db.select(TrainingPeriod).where(
        TrainingPeriod.place == "Kamp Elsenborn"))
    assignment = db.session.scalar(db.select(Assignment).where(
        Assignment.period_id == period.id, Assignment.engagement_id == lotte.id))
    training.move(assignment, "request_swap", db.session.get(User, lotte.user_id),
                  reason="Examen aan de hogeschool")
    db.session.commit()
    page.reload()
    row = table.get_by_role("row", name="Lotte Peeters")
    expect(row).to_contain_text("Examen aan de hogeschool")
    assert fits_the_screen(page)
    pages.check()
    answer = row.get_by_label(_("Your answer to the reservist (optional)"))
    label_clear_of(answer)
    answer.fill("Ruil met de oefening in juni.")
    row.get_by_role("button", name=_("Refuse the swap")).click()
    expect(page.get_by_role("status").first).to_contain_text(_("Saved."))
    expect(table.get_by_role("row", name="Lotte Peeters")).to_contain_text(
        _("Planned: please confirm"))
    assert fits_the_screen(page)
    pages.check()

    # Attendance at the period under way: back to the unit, then the period.
    page.get_by_role("link", name=_("Back")).click()
    if starts.year != year:  # the new period's year is shown: the year before is a link away
        page.get_by_role("link", name=f"← {year}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{unit.name} · {year}")
    pages.check()
    page.locator("main tbody tr", has_text="Kamp Beverlo").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{_('Exercise')} · {unit.name}")
    row = page.get_by_role("table", name=_("Assigned reservists")).get_by_role(
        "row", name="Jonas Maes")
    served = row.get_by_label(_("Days served"))
    served.fill("3")
    label_clear_of(served)
    assert fits_the_screen(page)
    pages.check()
    row.get_by_role("button", name=_("Record attendance")).click()
    expect(page.get_by_role("status").first).to_contain_text(_("Saved."))
    row = page.get_by_role("table", name=_("Assigned reservists")).get_by_role(
        "row", name="Jonas Maes")
    expect(row).to_contain_text(_("%(n)d days", n=3))
    assert fits_the_screen(page)
    pages.check()

    db.session.expire_all()
    recorded = db.session.scalar(db.select(Assignment).where(
        Assignment.period_id == under_way.id, Assignment.engagement_id == jonas.id))
    assert (recorded.status, recorded.served_days) == (AssignmentStatus.SERVED, 3)
    refused = db.session.get(Assignment, assignment.id)
    assert refused.swap_answer == "Ruil met de oefening in juni."
    pages.finish()


def test_an_administrator_keeps_units_and_skills_on_a_phone(page: Page, pages, live_server):
    """The administrators' side of the same pages, once (German, on a phone)."""
    def _(message, **values):
        return t(message, "de", **values)

    page.context.add_cookies([{"name": "lang", "value": "de", "url": live_server}])
    admin = factories.user("admin", email="admin.units@mil.be", language="de")
    planner = factories.user("unit_staff", email="planner.units@mil.be", language="de",
                             first_name="Sofie", last_name="Wouters")
    medic = helpers.skill("medic", name_de="Sanitäter")
    unit = helpers.unit(name="3rd Lancers Reserve Company", skills=[medic], staff=[planner])
    db.session.commit()

    page.goto("/login")
    pages.check()
    log_in(page, admin.email, factories.PASSWORD, pages)
    pages.check()
    page.goto("/admin/reserve/units")
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Reserve units"))
    expect(page.get_by_role("table", name=_("Reserve units"))).to_contain_text(unit.name)
    assert fits_the_screen(page)
    pages.check()
    page.get_by_role("link", name=unit.code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(unit.name)
    skill_box = page.get_by_role("group", name=_("Skills needed")).get_by_label("Sanitäter")
    expect(skill_box).to_be_checked()
    tappable_beside_its_label(skill_box)
    page.get_by_label(_("Reservists needed")).fill("25")
    page.get_by_role("button", name=_("Save")).click()
    expect(page.get_by_role("status").first).to_contain_text(_("The unit is saved."))
    expect(page.get_by_role("group", name=_("Unit staff")).get_by_label(
        "Sofie Wouters <planner.units@mil.be>")).to_be_checked()
    assert fits_the_screen(page)
    pages.check()
    page.get_by_role("link", name=_("Back")).click()
    page.get_by_role("link", name=_("Needed skills")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Needed skills"))
    pages.check()
    page.get_by_role("button", name=_("Add")).click()
    expect(page.get_by_text(_("Give the name in Dutch.")).first).to_be_visible()
    assert fits_the_screen(page)
    pages.check()
    page.get_by_label(_("Code")).fill("driver_c")
    page.get_by_label(_("Name in Dutch")).fill("Chauffeur C")
    page.get_by_label(_("Name in French")).fill("Chauffeur C")
    page.get_by_label(_("Name in German")).fill("Fahrer C")
    page.get_by_role("button", name=_("Add")).click()
    expect(page.get_by_role("status").first).to_contain_text(_("The skill is added."))
    expect(page.get_by_role("main")).to_contain_text("Fahrer C")
    # Each skill's button says which skill it is for.
    expect(page.get_by_role("button", name=f"{_('Mark as not needed')} (Fahrer C)")
           ).to_be_visible()
    assert fits_the_screen(page)
    pages.check()
    pages.finish()
