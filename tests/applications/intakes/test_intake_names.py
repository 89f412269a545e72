"""An intake has a name in each language: candidates read theirs on their pages, and each
language section of a letter prints its own (no Dutch name in the French section)."""
from __future__ import annotations

from portal.accounts.models import User
from portal.applications import correspondence
from portal.applications.models import Intake, Status
from portal.extensions import db
from tests.applications.intakes.test_admin import _form
from tests.support import review as scene
from tests.support.client import login, post_form
from tests.support.letters import pdf_text

NAMES = {"name_nl": "Dienstjaar 2027", "name_fr": "Année de service 2027",
         "name_de": "Dienstjahr 2027"}


def _intake(client, login_as) -> Intake:
    login_as("admin", language="en")
    response = post_form(client, "/admin/intakes/new", _form(name="Intake 2027", **NAMES))
    assert response.status_code == 302
    return db.session.scalar(db.select(Intake))


def test_each_letter_section_names_the_intake_in_its_language(client, login_as):
    intake = _intake(client, login_as)
    assert (intake.name_nl, intake.name_fr, intake.name_de) == tuple(NAMES.values())
    application = scene.application(intake, status=Status.WAITLISTED, language="fr")
    letter = correspondence.issue("decision", application, None)
    sections = " ".join(pdf_text(letter.pdf).split())
    assert sections.count("Année de service 2027") == 1
    assert sections.count("Dienstjaar 2027") == 1
    assert "Intake 2027" not in sections


def test_a_candidate_reads_the_intake_name_in_the_page_language(client, login_as):
    intake = _intake(client, login_as)
    application = scene.application(intake, status=Status.SUBMITTED, language="de")
    candidate = db.session.get(User, application.user_id)
    candidate.language = "de"
    db.session.commit()
    login(client, candidate)
    page = client.get(f"/my-application/{application.id}").get_data(as_text=True)
    assert "Dienstjahr 2027" in page and "Intake 2027" not in page


def test_an_empty_language_uses_the_name_staff_know(client, login_as):
    login_as("admin", language="en")
    response = post_form(client, "/admin/intakes/new", _form(name="Lichting 2028"))
    assert response.status_code == 302
    intake = db.session.scalar(db.select(Intake))
    application = scene.application(intake, status=Status.WAITLISTED, language="nl")
    text = " ".join(pdf_text(correspondence.issue("decision", application, None).pdf).split())
    assert text.count("Lichting 2028") == 2  # the Dutch and the French section
