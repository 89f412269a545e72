"""The page for parents, linked from the invitation, its reminder and every page's footer:
in their language, addressed formally, with the open intakes' own figures and nothing an
intake does not set."""
from __future__ import annotations

from datetime import date
from io import BytesIO

from pypdf import PdfReader

from portal.extensions import db
from portal.invitations.letters import issue_letter
from tests.support import factories


def _page(client, lang):
    return " ".join(client.get(f"/parents?lang={lang}").get_data(as_text=True).split())


def test_parents_read_the_open_intakes_own_figures_in_their_language(app, client):
    factories.intake(name="Levée septembre", min_age=17, max_age=23,
                     offer_pay_gross_cents=215_000, offer_leave_days=30,
                     start_date=date(2027, 9, 13))
    db.session.commit()
    page = _page(client, "fr")
    assert "Pour les parents" in page and "votre enfant" in page
    assert "Levée septembre" in page and "13 septembre 2027" in page
    assert "17 à 23" in page
    assert "2 150,00 €" in page  # the gross pay as French writes it (its spaces normalised)
    assert "30 jours" in page
    assert "Fixé par la Défense pour cette levée." in page
    days = app.config["RETENTION_DAYS"]["persons_never_signed_up"]
    assert f"{days} jours après l'expiration du code" in page
    assert 'href="/start/answer"' in page and 'href="/privacy"' in page

    german = _page(client, "de")
    assert "Für Eltern" in german and "Ihr Kind" in german


def test_without_an_open_intake_the_page_invents_nothing(app, client):
    page = _page(client, "nl")
    assert "Op dit moment is er geen lichting open." in page
    assert "€" not in page
    months = app.config["SERVICE_YEAR_MONTHS"]
    assert f"Het dienstjaar duurt {months} maanden" in page


def test_every_page_links_to_it_and_the_invitation_prints_its_address(app, client):
    assert 'href="/parents"' in client.get("/").get_data(as_text=True)
    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    person = factories.person(cohort, postcode="9000", language="nl")
    letter, _code = issue_letter(person, cohort, actor=None)
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(letter.pdf)).pages)
    host = app.config["BASE_URL"].split("://", 1)[-1]
    assert f"{host}/parents" in " ".join(text.split()), text
