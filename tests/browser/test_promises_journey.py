"""What the letters promise, done in the browser: a convoked candidate moves to another
selection day and writes to the recruitment team; a rejected candidate asks for a review;
a recruiter who took no part in the decision answers both; the candidate reads the
answers. Once in Dutch on a 390 px phone and once in French on a desktop, with axe-core
and the Nu Html Checker on every page reached and no sideways scrolling on the phone."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from portal.applications.models import ApplicationEvent, Decision, ReviewRequest, Status
from portal.extensions import db
from portal.models import utcnow
from tests.browser.checks import Pages
from tests.browser.conftest import PHONE, log_in
from tests.browser.journeys import fits_the_screen, t, tn
from tests.support import factories
from tests.support import review as scene

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
RUNS = [pytest.param("nl", PHONE, id="nl-phone"), pytest.param("fr", DESKTOP, id="fr-desktop")]
QUESTION = {"nl": "Mag ik mijn eigen loopschoenen meebrengen?",
            "fr": "Puis-je apporter mes propres chaussures de course ?"}
REASON = {"nl": "Ik had koorts op de dag van de sporttest; mijn doktersbriefje bleef ongelezen.",
          "fr": "J'avais de la fièvre le jour de l'épreuve sportive ; certificat non lu."}


def _scene(language: str):
    """One candidate: convoked in one intake, rejected (by two recruiters) in another."""
    citizen = factories.user(email=f"noor.{language}@example.be", language=language,
                             first_name="Noor", last_name="Jacobs")
    intake = factories.intake(name=f"Lichting {language}")
    held = scene.selection_day(intake, capacity=5, days_ahead=20)
    later = scene.selection_day(intake, capacity=5, days_ahead=27)
    convoked = scene.application(intake, status=Status.TESTS_SCHEDULED, user=citizen,
                                 language=language)
    scene.convoke(convoked, held)
    other = factories.intake(name=f"Lichting {language} bis")
    decided = utcnow() - timedelta(days=1)
    rejected = scene.application(other, status=Status.REJECTED, user=citizen,
                                 language=language, decided_at=decided)
    proposer, confirmer = (factories.user("recruiter", language=language) for _ in range(2))
    db.session.add(Decision(application_id=rejected.id, action="reject", reason_code="ranking",
                            application_version=1, proposed_by_id=proposer.id,
                            resolved_by_id=confirmer.id, resolved_at=decided,
                            outcome="confirmed"))
    db.session.add(ApplicationEvent(application_id=rejected.id, action="reject",
                                    from_status=Status.TESTS_PASSED, to_status=Status.REJECTED,
                                    actor_id=confirmer.id, at=decided))
    colleague = factories.user("recruiter", email=f"colleague.{language}@mil.be",
                               language=language)
    db.session.commit()
    return citizen, convoked, later, rejected, colleague


@pytest.mark.parametrize(("language", "viewport"), RUNS)
def test_another_day_a_review_request_and_a_message_answered(
        page: Page, pages, live_server, browser, language, viewport):
    def _(message, **values):
        return t(message, language, **values)

    phone = viewport == PHONE
    page.set_viewport_size(viewport)
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
    citizen, convoked, later, rejected, colleague = _scene(language)

    page.goto("/login")
    pages.check()
    log_in(page, citizen.email, factories.PASSWORD, pages)
    pages.check()

    # Another selection day, from the page of the application.
    page.goto(f"/my-application/{convoked.id}")
    pages.check()
    page.get_by_role("link", name=_("Choose another selection day")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Choose another selection day"))
    assert not phone or fits_the_screen(page)
    pages.check()
    page.get_by_label(later.place).check()
    page.get_by_role("button", name=_("Move to this day")).click()
    expect(page.get_by_role("status").first).to_contain_text(later.place)
    assert not phone or fits_the_screen(page)
    pages.check()

    # A message to the recruitment team, from the same page.
    page.get_by_label(_("Your message")).fill(QUESTION[language])
    page.get_by_role("button", name=_("Send my message")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        _("Your message is sent to the recruitment team. You will get an e-mail when they "
          "answer."))
    expect(page.locator("#messages")).to_contain_text(QUESTION[language])
    pages.check()

    # A review of the rejection, with an error first.
    page.goto(f"/my-application/{rejected.id}")
    pages.check()
    page.get_by_role("link", name=_("Ask for a review")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _("Ask for a review of the decision"))
    pages.check()
    page.get_by_label(_("Why do you disagree with the decision?")).fill("Nee")
    page.get_by_role("button", name=_("Send my request")).click()
    expect(page.locator(".error-summary")).to_contain_text(
        _("Tell us why you disagree, in at least %(num)d characters.", num=10))
    pages.check()
    page.get_by_label(_("Why do you disagree with the decision?")).fill(REASON[language])
    page.get_by_role("button", name=_("Send my request")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        _("Your request for a review is sent. A staff member who did not take the decision "
          "will answer it; you will get a letter and an e-mail."))
    assert not phone or fits_the_screen(page)
    pages.check()

    # A recruiter who took no part in the decision answers both, on a desktop.
    context = browser.new_context(base_url=live_server, viewport=DESKTOP,
                                  locale=f"{language}-BE")
    staff = context.new_page()
    staff_pages = Pages(staff, live_server)
    staff.goto("/login")
    staff_pages.check()
    log_in(staff, colleague.email, factories.PASSWORD, staff_pages)
    staff_pages.check()
    staff.goto(f"/review/intakes/{rejected.intake_id}/dashboard")
    expect(staff.locator("#waiting")).to_contain_text(
        tn("%(num)d request for a review", "%(num)d requests for a review", 1, language,
           num=1))
    staff_pages.check()
    staff.get_by_role("link", name=tn("%(num)d request for a review",
                                      "%(num)d requests for a review", 1, language, num=1)
                      ).click()
    staff_pages.check()
    staff.get_by_role("link", name=rejected.reference).click()
    staff_pages.check()
    staff.get_by_label(_("Upheld: the decision stands")).check()
    staff.get_by_label(_("Reason, as the candidate will read it in the letter")).fill(
        "De sporttest werd later opnieuw afgelegd en niet gehaald.")
    staff.get_by_role("button", name=_("Send the answer")).click()
    expect(staff.get_by_role("status").first).to_contain_text(
        _("Answer recorded; the letter and the e-mail go to the candidate."))
    staff_pages.check()
    staff.goto("/review/messages")
    staff_pages.check()
    staff.get_by_role("link", name=convoked.reference).click()
    expect(staff.locator("#convocation-moves")).to_be_visible()
    staff.get_by_label(_("Your answer to the candidate")).fill("Ja, graag zelfs.")
    staff.get_by_role("button", name=_("Send to the candidate")).click()
    expect(staff.get_by_role("status").first).to_contain_text(
        _("Message sent; the candidate gets an e-mail."))
    staff_pages.check()
    pages.include(staff_pages)
    context.close()

    # The candidate reads both answers.
    page.goto(f"/my-application/{rejected.id}")
    expect(page.locator("#review")).to_contain_text(_("Upheld: the decision stands"))
    assert not phone or fits_the_screen(page)
    pages.check()
    page.goto(f"/my-application/{convoked.id}")
    expect(page.locator("#messages")).to_contain_text("Ja, graag zelfs.")
    pages.check()
    page.get_by_role("link", name=_("Privacy notice")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Privacy notice"))
    pages.check()
    page.get_by_role("link", name=_("Accessibility statement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Accessibility statement"))
    assert not phone or fits_the_screen(page)
    pages.check()
    db.session.expire_all()
    assert db.session.scalar(db.select(ReviewRequest)).outcome == "upheld"
