"""The employer reads the conditions in full before signing (on the signing page and on a
page of their own), in their language; the terms signed keep the text's version. The HR
contact is first written to in the language the reservist gave for them."""

import pytest

from portal.employers import terms
from portal.extensions import db
from tests.employers import helpers
from tests.employers.helpers import NUMBERS, employer, hr_user, link_path, proposed_agreement
from tests.support.client import login, post_form
from tests.support.mail import last_mail_to

ARTICLE_4 = {
    "en": "Article 4 — Compensation",
    "nl": "Artikel 4 — Vergoeding",
    "fr": "Article 4 — Indemnité",
    "de": "Artikel 4 — Entschädigung",
}


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
def test_the_signing_page_shows_the_conditions_in_full_in_the_employers_language(app, client, lang):
    company = employer()
    agreement = proposed_agreement(company)
    hr = hr_user(company, language=lang)
    db.session.commit()
    login(client, hr)
    page = client.get(f"/employer/agreements/{agreement.id}").get_data(as_text=True)
    assert ARTICLE_4[lang] in page
    for number in range(1, 9):
        assert f" {number} — " in page
    compensation = app.config["EMPLOYER_COMPENSATION_CENTS"] // 100
    assert str(compensation) in page.split(ARTICLE_4[lang])[1].split("</p>")[0]
    assert f"/employer/agreements/{agreement.id}/conditions" in page


def test_the_conditions_have_a_page_of_their_own_for_the_agreements_employer_only(client):
    company = employer()
    agreement = proposed_agreement(company)
    hr = hr_user(company)
    stranger = hr_user(employer(NUMBERS[1], "Andere NV"))
    db.session.commit()
    login(client, hr)
    page = client.get(f"/employer/agreements/{agreement.id}/conditions")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Article 8 — Terms applied" in text and "Bakkerij Janssens BV" in text
    assert f"Version of these conditions: {terms.TEXT_VERSION}" in text
    login(client, stranger)
    assert client.get(f"/employer/agreements/{agreement.id}/conditions").status_code == 404


def test_a_signed_agreement_keeps_the_version_of_the_conditions_it_was_signed_with(client):
    company = employer()
    hr = hr_user(company)
    agreement = helpers.signed_agreement(company, hr=hr)
    db.session.commit()
    assert agreement.status == "signed"
    assert agreement.terms.text_version == terms.TEXT_VERSION
    login(client, hr)
    page = client.get(f"/employer/agreements/{agreement.id}/conditions").get_data(as_text=True)
    assert "Signed on" in page and agreement.terms.digest in page


def test_the_first_mail_and_the_link_page_use_the_language_given_for_the_hr_contact(client):
    reservist = helpers.reservist(language="nl")
    db.session.commit()
    login(client, reservist)
    form = client.get("/reserve/employer/").get_data(as_text=True)
    assert 'name="hr_language"' in form
    response = post_form(
        client,
        "/reserve/employer/",
        {
            "enterprise_number": NUMBERS[0],
            "name": "Boulangerie Dupont SA",
            "hr_email": "rh@dupont.be",
            "hr_language": "fr",
        },
        page="/reserve/employer/",
    )
    assert response.status_code == 302
    mail = last_mail_to("rh@dupont.be")
    assert "Libération d'un réserviste" in mail["Subject"]
    with client.session_transaction() as session:
        session.clear()
    client.delete_cookie("lang")
    page = client.get(link_path("rh@dupont.be"), headers={"Accept-Language": "nl"})
    text = page.get_data(as_text=True)
    assert '<html lang="fr"' in text
    assert 'value="fr" selected' in text or 'selected value="fr"' in text


def test_the_hr_contacts_language_is_the_reservists_unless_they_choose_another(client):
    reservist = helpers.reservist(language="de")
    db.session.commit()
    login(client, reservist)
    form = client.get("/reserve/employer/").get_data(as_text=True)
    select = form.split('name="hr_language"')[1].split("</select>")[0]
    assert 'selected value="de"' in select or 'value="de" selected' in select
    post_form(
        client,
        "/reserve/employer/",
        {
            "enterprise_number": NUMBERS[0],
            "name": "Firma Schmitz",
            "hr_email": "hr@schmitz.be",
            "hr_language": "de",
        },
        page="/reserve/employer/",
    )
    assert "Freistellung eines Reservisten" in last_mail_to("hr@schmitz.be")["Subject"]
