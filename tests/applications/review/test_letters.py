"""The letters that go with recruiter moves carry both languages and the decision's details."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal import i18n
from portal.applications.models import Status
from portal.applications.review import services as review_services
from portal.applications.workflow import SYSTEM, transition
from portal.extensions import db
from portal.letters.models import Letter
from tests.support import factories
from tests.support import review as h
from tests.support.letters import pdf_text


@pytest.fixture(autouse=True)
def _english(app):
    with i18n.locale("en"):
        yield


def _letter(app_) -> tuple[Letter, str]:
    db.session.commit()  # the letter is rendered once the move commits
    letter = db.session.scalars(db.select(Letter).where(
        Letter.subject_type == "Application", Letter.subject_id == str(app_.id))
        .order_by(Letter.id.desc())).first()
    return letter, " ".join(pdf_text(letter.pdf).split())


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_convocation_gives_date_place_and_what_to_bring_in_both_languages(app):
    intake = factories.intake()
    app_ = h.application(intake, status=Status.SCREENING, language="fr")
    day = h.selection_day(intake)
    review_services.schedule_tests(app_, day, factories.user("recruiter", password=None),
                                   app_.version)
    letter, text = _letter(app_)
    assert (letter.kind, letter.languages) == ("convocation", "fr,nl")
    assert "Convocation aux épreuves de sélection" in text
    assert "Oproeping voor de selectieproeven" in text
    assert text.index("Convocation aux") < text.index("Oproeping voor")
    assert "Neder-Over-Heembeek" in text
    assert "ta carte d'identité" in text and "je identiteitskaart" in text
    assert app_.reference in text


def test_selection_letter_gives_start_date_and_answer_deadline(app):
    intake = factories.intake(offer_days=10, start_date=date(2027, 3, 1))
    app_ = h.application(intake, status=Status.WAITLISTED, language="nl")
    transition(app_, "select", SYSTEM)
    letter, text = _letter(app_)
    assert (letter.kind, letter.languages) == ("decision", "nl,fr")
    assert "Je bent geselecteerd voor het Militair Dienstjaar" in text
    assert "Tu es sélectionné·e pour l'Année de Service Militaire" in text
    assert "1 maart 2027" in text and "1 mars 2027" in text
    deadline = date.today() + timedelta(days=10)
    assert str(deadline.day) in text and "Landcomponent" in text


def test_waitlist_letter_gives_the_rank(app):
    intake = factories.intake()
    h.application(intake, status=Status.WAITLISTED, score=90)
    app_ = h.application(intake, status=Status.TESTS_PASSED, score=70, language="de",
                         postcode="4700")
    h.waitlist(app_)
    letter, text = _letter(app_)
    assert letter.languages == "de,fr,nl"
    assert "Rang 2" in text and "Plaats 2" in text
    assert "Du stehst auf der Warteliste" in text


def test_rejection_letter_gives_the_structured_reason_and_how_to_appeal(app):
    intake = factories.intake()
    app_ = h.application(intake, status=Status.TESTS_FAILED, language="nl")
    proposer = factories.user("recruiter", password=None)
    decision = review_services.propose(app_, "reject", proposer, version=app_.version,
                                       reason_code="medical", note="internal remark")
    review_services.confirm(decision, factories.user("recruiter", password=None), app_.version)
    letter, text = _letter(app_)
    assert letter.kind == "decision"
    assert "Uit het medisch onderzoek blijkt dat je op dit moment niet geschikt bent" in text
    assert "L'examen médical a conclu que tu n'es pas apte au service" in text
    assert "Raad van State" in text and "Conseil d'État" in text
    assert "internal remark" not in text
