"""A refusal names its legal ground and its routes of appeal in every language of its
letter, with the reason in that language (never a recruiter's text in one language under
every heading), and a waitlist letter gives the review route once."""
from __future__ import annotations

from portal.applications import correspondence
from portal.applications.models import Decision, Status
from portal.extensions import db
from portal.letters.models import Letter
from portal.reserve.models import EngagementStatus
from tests.support import factories
from tests.support import reserve as helpers
from tests.support import review as scene
from tests.support.client import post_form
from tests.support.letters import pdf_text

LAW = {"nl": "wet van 29 juli 1991", "fr": "loi du 29 juillet 1991",
       "de": "Gesetz vom 29. Juli 1991"}
COUNCIL = {"nl": "Raad van State", "fr": "Conseil d'État", "de": "Staatsrat"}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_rejection_letter_names_its_legal_ground_in_each_language(app):
    intake = factories.intake()
    application = scene.application(intake, status=Status.REJECTED, language="fr")
    recruiter = factories.user("recruiter", password=None)
    decision = Decision(application_id=application.id, action="reject", reason_code="medical",
                        application_version=1, proposed_by_id=recruiter.id)
    db.session.add(decision)
    db.session.flush()
    letter = correspondence.issue("decision", application, None, decision)
    text = _flat(pdf_text(letter.pdf))
    for language in letter.languages.split(","):
        assert LAW[language] in text, language
        assert COUNCIL[language] in text, language
    assert "normes d'aptitude médicale au service militaire" in text
    assert "normen van medische geschiktheid voor militaire dienst" in text


def test_a_waitlist_letter_gives_the_review_route_once_per_language(app):
    application = scene.application(factories.intake(), status=Status.WAITLISTED,
                                    language="nl")
    letter = correspondence.issue("decision", application, None)
    text = _flat(pdf_text(letter.pdf))
    # The review route once in each language section (it was printed twice), then the
    # Council of State.
    assert "If you disagree" not in text  # it was printed a second time, in English
    days = app.config["REVIEW_REQUEST_DAYS"]
    assert text.count(f"binnen {days} dagen na de datum van deze brief") == 1
    assert text.count(f"dans les {days} jours") + text.count(f"dans un délai de {days} jours") == 1
    assert LAW["nl"] not in text  # no legal ground to name: nobody was refused
    assert "Raad van State" in text and "Conseil d'État" in text


def test_a_reserve_refusal_reason_is_chosen_from_the_list_and_printed_in_each_language(
        app, client, login_as):
    citizen = factories.user("citizen", language="nl")
    engagement = helpers.engagement(citizen, status=EngagementStatus.SCREENING,
                                    street="Kerkstraat 1", postcode="1000")
    db.session.commit()
    login_as("recruiter")
    url = f"/staff/reserve/engagements/{engagement.id}/move"
    free_text = post_form(client, url, {"action": "reject", "version": engagement.version,
                                        "reason": "Geen plaats dit jaar"})
    assert free_text.status_code in (302, 303)
    db.session.refresh(engagement)
    assert engagement.status == EngagementStatus.SCREENING  # refused: choose from the list

    chosen = post_form(client, url, {"action": "reject", "version": engagement.version,
                                     "reason": "places"})
    assert chosen.status_code in (302, 303)
    db.session.refresh(engagement)
    assert engagement.status == EngagementStatus.REJECTED
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "reserve"))
    text = _flat(pdf_text(letter.pdf))
    assert "geen vrije plaats voor de periode die je vroeg" in text
    assert "n'ont pas de place libre pour la période demandée" in text
    for language in letter.languages.split(","):
        assert LAW[language] in text and COUNCIL[language] in text, language
