"""The letter engine: bilingual order by postcode, escaping, the fetcher, archive, download."""
from __future__ import annotations

import hashlib

import pytest

from portal.audit import AuditEvent
from portal.extensions import db
from portal.invitations.letters import issue_letter
from portal.letters import render, services
from portal.letters.address import municipality_name
from portal.letters.models import Letter
from tests.support import factories
from tests.support.letters import embedded_fonts, page_texts, pdf_text

# First words of the invitation's subject in each language, from the catalogues.
SUBJECT = {
    "nl": "Jouw uitnodiging voor het Militair Dienstjaar",
    "fr": "Ton invitation à l'Année de Service Militaire",
    "de": "Deine Einladung zum Militärischen Dienstjahr",
}


def _issue(postcode, **person_fields):
    cohort = factories.cohort()
    person = factories.person(cohort, postcode=postcode, **person_fields)
    admin = factories.user("admin")
    letter, code = issue_letter(person, cohort, admin)
    db.session.commit()
    return letter, code, person


@pytest.mark.parametrize(("postcode", "order"), [
    ("9000", ("nl", "fr")),        # Gent, Flanders
    ("5000", ("fr", "nl")),        # Namur, Wallonia
    ("1000", ("fr", "nl")),        # Brussels, no register language: French first
    ("4700", ("de", "fr", "nl")),  # Eupen, German-speaking area
])
def test_letter_holds_every_language_in_order_with_code_and_address(app, postcode, order):
    letter, code, person = _issue(postcode)
    # The subject wraps beside the window: read lines as running text.
    pages = [page.replace("\n", " ") for page in page_texts(letter.pdf)]
    text = "\n".join(pages)
    positions = [text.index(SUBJECT[lang]) for lang in order]
    assert positions == sorted(positions)
    assert set(SUBJECT) - set(order) == {lang for lang in SUBJECT if SUBJECT[lang] not in text}
    # Each language starts on a page of its own.
    assert [next(i for i, p in enumerate(pages) if SUBJECT[lang] in p) for lang in order] == \
        sorted({next(i for i, p in enumerate(pages) if SUBJECT[lang] in p) for lang in order})
    assert text.count(code) == len(order)
    assert person.full_name in pages[0]
    # A bilingual Brussels name is printed in the letter's first language.
    town = municipality_name(person.municipality, order[0])
    assert f"{person.postcode} {town}" in pages[0]
    assert letter.languages == ",".join(order)
    assert letter.page_count == len(pages)


def test_register_language_overrides_the_postcode(app):
    letter, _code, _person = _issue("1000", register_language="nl")
    text = pdf_text(letter.pdf).replace("\n", " ")
    assert letter.languages == "nl,fr"
    assert text.index(SUBJECT["nl"]) < text.index(SUBJECT["fr"])


def test_a_hostile_name_prints_as_text(app):
    hostile = '<img src="http://evil.example/x.png"> <b>Eve</b>'
    letter, _code, _person = _issue("9000", last_name=hostile)
    assert hostile in pdf_text(letter.pdf).replace("\n", " ")  # a long name wraps


@pytest.mark.parametrize("url", [
    "http://example.com/x.png",
    "https://example.com/font.ttf",
    "file:///etc/passwd",
    f"{render.BASE_URL}../css/portal.css",
    "ftp://example.com/x",
])
def test_fetcher_refuses_anything_but_the_letter_assets(app, url):
    with pytest.raises(render.AssetRefused):
        render.fetcher().fetch(url)


def test_fetcher_serves_the_letter_assets_and_data_urls(app):
    assert render.fetcher().fetch(render.BASE_URL + "logo.svg").read().startswith(b"<svg")
    assert render.fetcher().fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_a_template_asking_for_a_remote_image_fails_to_render(app):
    html = '<html><body><img src="http://example.com/tracker.png"></body></html>'
    with pytest.raises(render.AssetRefused):
        render.layout(html)


def test_letter_is_archived_with_fingerprint_and_fonts_embedded(app):
    letter, _code, person = _issue("5000")
    stored = db.session.get(Letter, letter.id)
    assert stored.sha256 == hashlib.sha256(stored.pdf).hexdigest()
    assert stored.size == len(stored.pdf)
    assert stored.kind == "invitation" and stored.person_id == person.id
    assert stored.template_version.startswith("invitation-")
    fonts = embedded_fonts(stored.pdf)
    assert fonts and all("Letter-Sans" in f for f in fonts)
    events = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "letter.issued" in events and "invitation.issued" in events


def test_reprint_issues_a_new_code_and_revokes_the_old(app):
    cohort = factories.cohort()
    person = factories.person(cohort, postcode="9000")
    admin = factories.user("admin")
    first, code1 = issue_letter(person, cohort, admin)
    second, code2 = issue_letter(person, cohort, admin)
    db.session.commit()
    assert code1 != code2 and first.reference != second.reference
    invitations = sorted(person.invitations, key=lambda i: i.id)
    assert invitations[0].revoked_at is not None and invitations[1].is_open


def test_owner_downloads_identical_bytes(app, client, login_as):
    letter, _code, person = _issue("9000")
    owner = factories.user("citizen", person=person)
    db.session.commit()
    login_as(owner)
    response = client.get(f"/letters/{letter.public_id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == letter.pdf
    assert hashlib.sha256(response.data).hexdigest() == letter.sha256


def test_another_citizen_gets_404(app, client, login_as):
    letter, _code, _person = _issue("9000")
    login_as("citizen")
    assert client.get(f"/letters/{letter.public_id}.pdf").status_code == 404
    assert client.get("/letters/999999.pdf").status_code == 404


def test_invitation_letters_with_live_codes_are_for_administrators_only_audited(
        app, client, login_as):
    letter, _code, _person = _issue("9000")
    login_as("recruiter")
    assert client.get(f"/letters/{letter.public_id}.pdf").status_code == 404
    admin = login_as("admin")
    assert client.get(f"/letters/{letter.public_id}.pdf").data == letter.pdf
    viewed = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "letter.viewed")).all()
    assert [(e.actor_id, e.object_id) for e in viewed] == [(admin.id, str(letter.id))]


def test_recruiters_read_the_letters_of_applications_audited(app, client, login_as):
    admin = factories.user("admin")
    recipient = services.Recipient(name="Lotte Peeters", address_lines=("Veldstraat 1",
                                   "9000 Gent"), postcode="9000", first_name="Lotte")
    letter = services.issue("invitation", recipient=recipient, actor=admin,
                            context={"expires_on": None, "age_youngest": 18, "age_oldest": 18,
                                     "signup_address": "x.test/start",
                                     "parents_address": "x.test/parents"},
                            slots={"code": "TEST"})
    letter.kind, letter.subject_type, letter.subject_id = "decision", "Application", "7"
    db.session.commit()
    recruiter = login_as("recruiter")
    assert client.get(f"/letters/{letter.public_id}.pdf").data == letter.pdf
    viewed = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "letter.viewed")).all()
    assert [(e.actor_id, e.object_id) for e in viewed] == [(recruiter.id, str(letter.id))]


def test_letters_cannot_be_found_by_counting(app, client, login_as):
    letters = [_issue("9000")[0] for _ in range(3)]
    login_as("admin")
    for letter in letters:
        assert client.get(f"/letters/{letter.id}.pdf").status_code == 404
        assert len(letter.public_id) == 22
    assert len({letter.public_id for letter in letters}) == 3


def test_issue_renders_any_kind_with_its_context(app):
    admin = factories.user("admin")
    recipient = services.Recipient(name="Anna Schmitz", address_lines=("Hauptstraße 5",
                                   "4700 Eupen"), postcode="4700", first_name="Anna")
    letter = services.issue("invitation", recipient=recipient, actor=admin,
                            context={"expires_on": None, "age_youngest": 18, "age_oldest": 18,
                                     "signup_address": "x.test/start",
                                     "parents_address": "x.test/parents"},
                            slots={"code": "TEST"})
    assert letter.languages == "de,fr,nl" and letter.id is not None
    assert "Anna Schmitz" in pdf_text(letter.pdf)
