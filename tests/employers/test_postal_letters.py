"""Letters to an enterprise go to its postal address and its contact person, who is greeted
by name and addressed formally (u / vous / Sie), in the letters and in the e-mails."""
from __future__ import annotations

import re
from datetime import date

from portal.audit import AuditEvent
from portal.employers import services, statements
from portal.extensions import db
from portal.letters.models import Letter
from tests.employers.helpers import (
    ADDRESS,
    employer,
    hr_user,
    proposed_agreement,
    signed_agreement,
)
from tests.support import factories
from tests.support.client import post_form
from tests.support.letters import pdf_text
from tests.support.mail import html_of, last_mail_to, outbox, text_of

# The informal forms a letter or e-mail to an enterprise must never use.
INFORMAL = {
    "nl": re.compile(r"\b(je|jij|jou|jouw)\b", re.I),
    "fr": re.compile(r"\b(tu|te|toi|ton|ta|tes)\b|\bt'|\b(appelle|écris|ouvre|copie)\b", re.I),
    "de": re.compile(r"\b(du|dich|dir|dein\w*)\b|\b(ruf|schreib|öffne|kopiere)\b", re.I),
}
TITLES = {"fr": "Accord employeur", "nl": "Werkgeversovereenkomst"}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _window(pdf: bytes, name: str) -> list[str]:
    """The address lines of the first page: the enterprise's name line and what follows."""
    lines = [line.replace("\xa0", " ").strip() for line in pdf_text(pdf).splitlines()]
    start = max(i for i, line in enumerate(lines) if line == name)
    return lines[start:start + 4]


def _sections(text: str, markers: dict[str, str]) -> dict[str, str]:
    """The text of each language section, cut at the section titles."""
    starts = sorted((text.index(marker), lang) for lang, marker in markers.items())
    return {lang: text[start:(starts[i + 1][0] if i + 1 < len(starts) else len(text))]
            for i, (start, lang) in enumerate(starts)}


def _sign(client, agreement, **fields):
    page = f"/employer/agreements/{agreement.id}"
    data = {"name": "Karin Maes", "function": "Directrice RH", "agree": "y",
            "terms_id": agreement.terms_id, "version": agreement.version,
            "street": "Rue de la Loi", "house_number": "16", "box": "2", "postcode": "1000",
            "municipality": "Bruxelles", "contact_name": "Karin Maes",
            "contact_function": "Directrice RH"}
    data.update(fields)
    return post_form(client, f"{page}/sign", data, page=page)


def test_the_agreement_letter_goes_to_the_contact_person_at_the_postal_address(
        client, login_as):
    brewery = employer(name="Brouwerij De Demo NV", language="fr")
    hr = hr_user(brewery, email="rh@demo.be", language="fr")
    agreement = proposed_agreement(brewery)
    db.session.commit()
    login_as(hr)
    page = client.get(f"/employer/agreements/{agreement.id}").get_data(as_text=True)
    assert 'name="postcode"' in page and 'name="contact_name"' in page
    assert _sign(client, agreement).status_code == 302

    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "agreement"))
    assert letter.delivery == "post"
    text = _flat(pdf_text(letter.pdf))
    # The window: enterprise, the person it is for, street line with the box, postcode line.
    assert _window(letter.pdf, "Brouwerij De Demo NV") == [
        "Brouwerij De Demo NV", "Karin Maes, Directrice RH", "Rue de la Loi 16 bte 2",
        "1000 Bruxelles"]
    assert brewery.formatted_number not in text
    sections = _sections(text, TITLES)
    assert "Bonjour Karin Maes," in sections["fr"]
    assert "Geachte Karin Maes," in sections["nl"]
    assert "Bonjour Brouwerij" not in text and "Beste Brouwerij" not in text
    for lang, section in sections.items():
        assert not INFORMAL[lang].search(section), (lang, INFORMAL[lang].search(section))
    assert "Appelez-nous" in sections["fr"] and "Hebt u vragen?" in sections["nl"]


def test_signing_needs_a_deliverable_address_with_a_known_postcode(client, login_as):
    bakery = employer()
    hr = hr_user(bakery, language="nl")
    agreement = proposed_agreement(bakery)
    db.session.commit()
    login_as(hr)
    response = _sign(client, agreement, postcode="0999")
    assert response.status_code == 400
    assert "0999 is geen Belgische postcode die we kennen" in response.get_data(as_text=True)
    response = _sign(client, agreement, street="")
    assert response.status_code == 400
    assert "Geef de straat van het postadres" in response.get_data(as_text=True)
    db.session.refresh(agreement)
    assert agreement.status == "proposed"
    assert db.session.scalar(db.select(Letter.id).where(Letter.kind == "agreement")) is None


def test_the_enterprise_page_corrects_the_address_and_the_statement_follows(
        client, login_as, calendar):
    bakery = employer(language="nl")
    hr = hr_user(bakery, language="nl")
    agreement = signed_agreement(bakery, hr=hr)
    db.session.commit()
    login_as(hr)
    page = f"/employer/enterprises/{bakery.id}"
    form = client.get(page).get_data(as_text=True)
    assert 'value="Brouwerijstraat"' in form and 'value="9000"' in form
    response = post_form(client, page, {
        "joint_committee": "", "language": "nl", "street": "Kerkstraat", "house_number": "7",
        "box": "", "postcode": "2000", "municipality": "", "contact_name": "Jan Peeters",
        "contact_function": "Boekhouder"}, page=page)
    assert response.status_code == 302
    db.session.refresh(bakery)
    assert (bakery.street, bakery.postcode, bakery.municipality) == (
        "Kerkstraat", "2000", "Antwerpen")  # the municipality from the region table
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "employer.postal_address")) is not None

    calendar.served[(agreement.reservist_id, date.today().year)] = 4
    pdf = client.get(f"{page}/statements/{date.today().year}.pdf").data
    text = _flat(pdf_text(pdf))
    assert _window(pdf, bakery.name) == [bakery.name, "Jan Peeters, Boekhouder",
                                         "Kerkstraat 7", "2000 Antwerpen"]
    sections = _sections(text, {"nl": "Vergoedingsoverzicht", "fr": "Relevé des indemnités"})
    assert "Geachte Jan Peeters," in sections["nl"] and "uw werknemers" in sections["nl"]
    assert "Bonjour Jan Peeters," in sections["fr"] and "vos employés" in sections["fr"]
    for lang, section in sections.items():
        assert not INFORMAL[lang].search(section), (lang, INFORMAL[lang].search(section))


def test_a_statement_for_an_enterprise_without_an_address_is_not_posted(app, calendar):
    garage = employer(language="nl")
    agreement = signed_agreement(garage)
    # An enterprise that lost its address (never given): online only, no partial address.
    for field in ("street", "house_number", "postcode", "municipality"):
        setattr(garage, field, None)
    garage.contact_name = None
    db.session.flush()
    calendar.served[(agreement.reservist_id, date.today().year)] = 2
    letter = statements.issue(statements.statement_for(garage, date.today().year))
    assert letter.delivery == "online"
    text = _flat(pdf_text(letter.pdf))
    assert "Geachte heer, geachte mevrouw," in text  # never the company's name
    assert f"Beste {garage.name}" not in text and garage.formatted_number not in text


def test_emails_to_employers_use_the_formal_form(app):
    for lang, company_number in (("nl", "0400000185"), ("fr", "0400000284"),
                                 ("de", "0400000383")):
        company = employer(company_number, f"Firma {lang}", language=lang)
        reservist = factories.user(role="citizen", password=None, language=lang)
        agreement = proposed_agreement(company, reservist, hr_email=f"hr-{lang}@firma.be")
        services.send_link(company, f"hr-{lang}@firma.be", actor=reservist,
                           agreement=agreement)
        hr = hr_user(company, email=f"boss-{lang}@firma.be", language=lang,
                     first_name="Anna", last_name="Claes")
        services.invite_colleague(hr, company, f"colleague-{lang}@firma.be", admin=False)
        services.sign(hr, agreement, name="Anna Claes", function="HR", address=ADDRESS,
                      terms_id=agreement.terms_id)
        db.session.commit()
        for address in (f"hr-{lang}@firma.be", f"colleague-{lang}@firma.be",
                        f"boss-{lang}@firma.be"):
            mail = last_mail_to(address)
            for text in (mail["Subject"], text_of(mail), html_of(mail)):
                assert not INFORMAL[lang].search(text), (lang, address,
                                                         INFORMAL[lang].search(text))
        greeting = {"nl": "Geachte Anna Claes,", "fr": "Bonjour Anna Claes,",
                    "de": "Guten Tag Anna Claes,"}[lang]
        assert greeting in text_of(last_mail_to(f"boss-{lang}@firma.be"))
    assert len(outbox()) >= 9


def test_the_joint_committee_is_saved_before_the_address_is_known(client, login_as):
    bakery = employer()
    hr = hr_user(bakery, language="en")
    proposed_agreement(bakery)
    db.session.commit()
    login_as(hr)
    page = f"/employer/enterprises/{bakery.id}"
    blank = dict.fromkeys(("street", "house_number", "box", "postcode", "municipality",
                           "contact_name", "contact_function"), "")
    response = post_form(client, page, {"joint_committee": "200", "language": "nl", **blank},
                         page=page)
    assert response.status_code == 302
    db.session.refresh(bakery)
    assert bakery.joint_committee == "200" and bakery.street is None
    # Half an address is refused, next to its field.
    response = post_form(client, page, {"joint_committee": "200", "language": "nl",
                                        **blank, "street": "Kerkstraat"}, page=page)
    assert response.status_code == 400
    assert "Give the house number." in response.get_data(as_text=True)


def test_employer_letters_are_titled_and_signed_in_each_sections_language(app, calendar):
    from io import BytesIO

    from pypdf import PdfReader

    company = employer(language="fr")
    agreement = signed_agreement(company)
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "agreement"))
    assert PdfReader(BytesIO(letter.pdf)).metadata.title == (
        "Accord employeur — Réserve de la Défense")
    sections = _sections(_flat(pdf_text(letter.pdf)), TITLES)
    assert "Colonel Anne Peeters" in sections["fr"] and "Kolonel" not in sections["fr"]
    assert "Kolonel Anne Peeters" in sections["nl"]

    calendar.served[(agreement.reservist_id, date.today().year)] = 1
    statement = statements.issue(statements.statement_for(company, date.today().year))
    assert PdfReader(BytesIO(statement.pdf)).metadata.title == (
        "Relevé des indemnités — Réserve de la Défense")


def test_a_letter_to_an_enterprise_without_an_address_is_online_and_the_page_says_so(
        client, login_as):
    bakery = employer()
    hr = hr_user(bakery)
    agreement = proposed_agreement(bakery)
    db.session.commit()
    login_as(hr)
    page = f"/employer/agreements/{agreement.id}"
    response = post_form(client, f"{page}/decline", {"reason": "Too busy this year",
                                                      "version": agreement.version}, page=page)
    assert response.status_code == 302
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "agreement"))
    assert letter.delivery == "online"
    assert bakery.formatted_number not in pdf_text(letter.pdf)  # no stand-in for an address
    assert "Not sent by post: the enterprise has no complete postal address yet" in (
        client.get(page).get_data(as_text=True))
