"""Each figure a page or letter shows is read from where it is decided (the intake, a
setting) and says whose it is: nothing nobody decided reads as law."""
from __future__ import annotations

from portal.extensions import db
from portal.letters.models import Letter
from tests.employers.helpers import ADDRESS, employer, hr_user, pdf_text, proposed_agreement
from tests.support import factories
from tests.support.client import post_form


def _page(client, path, lang):
    return " ".join(client.get(f"{path}?lang={lang}").get_data(as_text=True).split())


def test_the_home_page_shows_the_intakes_own_places_and_no_component_it_does_not_offer(
        app, client):
    factories.intake(name="Lichting 2027", quota_total=60, quota_land=40, quota_air=12,
                     quota_navy=8, quota_medical=0, quota_cyber=0, min_age=17, max_age=23)
    db.session.commit()
    page = _page(client, "/", "fr")
    assert "Lichting 2027" in page
    assert "de 17 à 23 ans" in page
    assert "Composante Terre : 40" in page and "Composante Air : 12" in page
    assert "Fixé par la Défense pour cette levée." in page
    for word in ("Composante médicale", "Commandement cyber", "cyber"):
        assert word not in page, word
    assert "Deux jours de sélection" not in page


def test_the_home_page_reads_the_reserve_minimums_from_the_settings(app, client):
    app.config.update(RESERVE_MIN_DAYS_SOLDIER=4, RESERVE_MIN_DAYS_CADRE=9)
    try:
        page = _page(client, "/", "nl")
    finally:
        app.config.update(RESERVE_MIN_DAYS_SOLDIER=5, RESERVE_MIN_DAYS_CADRE=7)
    assert "minstens 4 dagen per jaar als soldaat, 9 als onderofficier" in page
    assert "huidige instellingen van Defensie, tot de wet ze vastlegt" in page


def test_the_pillars_page_gives_the_minimum_engagement_as_defences_setting(app, client):
    app.config["RESERVE_MIN_COMMITMENT_MONTHS"] = 18
    try:
        page = _page(client, "/reserve/pillars", "de")
    finally:
        app.config["RESERVE_MIN_COMMITMENT_MONTHS"] = 12
    assert "mindestens 18 Monate" in page
    assert "aktuellen Einstellungen der Verteidigung, bis das Gesetz sie festlegt" in page


def test_an_agreement_on_the_standard_terms_says_they_are_defences_settings(
        app, client, login_as):
    app.config.update(EMPLOYER_DAYS_PER_YEAR=11, EMPLOYER_NOTICE_DAYS=45,
                      EMPLOYER_COMPENSATION_CENTS=9875)
    try:
        bakery = employer(language="nl")
        hr = hr_user(bakery, language="nl")
        agreement = proposed_agreement(bakery)
        db.session.commit()
        login_as(hr)
        path = f"/employer/agreements/{agreement.id}"
        page = _page(client, path, "nl")
        assert "standaardvoorwaarden van Defensie" in page and "niet bij wet vastgelegd" in page
        assert "98,75" in page and "45 dagen" in page
        data = {"name": "Karin Maes", "function": "HR", "agree": "y",
                "terms_id": agreement.terms_id, "version": agreement.version,
                "contact_name": "Karin Maes", "contact_function": "HR", **ADDRESS}
        assert post_form(client, f"{path}/sign", data, page=path).status_code == 302
    finally:
        app.config.update(EMPLOYER_DAYS_PER_YEAR=15, EMPLOYER_NOTICE_DAYS=60,
                          EMPLOYER_COMPENSATION_CENTS=12000)
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "agreement"))
    text = " ".join(pdf_text(letter.pdf).split())
    assert "standaardvoorwaarden van Defensie" in text and "niet bij wet vastgelegd" in text
    assert "conditions standard de la Défense" in text and "non fixés par la loi" in text
    assert "€ 98,75" in text and "120" not in text


def test_the_sector_agreements_page_shows_the_standard_terms_and_whose_they_are(
        app, client, login_as):
    login_as("admin", language="fr")
    page = _page(client, "/admin/employers/sector-agreements", "fr")
    assert "15 jours par an, un préavis de 60 jours, 120,00 € par jour" in page
    assert "paramètres actuels de la Défense" in page and "non fixés par la loi" in page


def test_the_decision_letter_gives_the_review_period_of_the_setting(app):
    from portal.letters import services
    from tests.support import letter_specimens

    app.config["REVIEW_REQUEST_DAYS"] = 21
    try:
        for name in ("decision-rejected", "reserve-rejected"):
            spec = letter_specimens.kinds()[name]
            pdf, _pages = services.render_letter(
                spec["kind"], recipient=letter_specimens.recipient(["nl", "fr"]),
                context=spec["context"], languages=["nl", "fr"], reference="DEC-TEST",
                slots=spec.get("slots", {}))
            text = " ".join(pdf_text(pdf).split())
            assert "binnen 21 dagen" in text and "dans les 21 jours" in text, name
            assert "binnen 30 dagen" not in text
    finally:
        app.config["REVIEW_REQUEST_DAYS"] = 30


def test_the_training_year_says_the_leave_rate_is_defences_setting(app, client, login_as):
    from tests.support import reserve as reserve_support

    user = login_as("citizen", language="fr")
    reserve_support.engagement(user, status="active", unit=reserve_support.unit())
    db.session.commit()
    app.config["RESERVE_LEAVE_PER_SERVED_DAY"] = 0.5
    try:
        page = _page(client, "/reserve/year", "fr")
    finally:
        app.config["RESERVE_LEAVE_PER_SERVED_DAY"] = 1.0
    assert "Congé par jour servi : 0,5 (paramètre actuel de la Défense" in page
