"""The invitation letter says the age its cohort reaches this year, from the cohort's birth
dates: the first real mailing went to 17-year-olds, not to the age of a global setting."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.invitations import letters as invitation
from portal.letters.models import Letter
from tests.support import factories
from tests.support.letters import pdf_text

YEAR = date.today().year


def _text(letter) -> str:
    return " ".join(pdf_text(letter.pdf).split())


def test_a_run_for_17_year_olds_tells_them_they_turn_17_in_every_language(app, tmp_path):
    cohort = factories.cohort(born_from=date(YEAR - 17, 1, 1), born_to=date(YEAR - 17, 12, 31))
    factories.person(cohort, postcode="9000", birth_date=date(YEAR - 17, 5, 4))  # nl, fr
    factories.person(cohort, postcode="4700", birth_date=date(YEAR - 17, 9, 1))  # de, fr, nl
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    texts = [_text(letter) for letter in db.session.scalars(db.select(Letter))]
    assert len(texts) == 2
    for text in texts:
        assert "Dit jaar word je 17," in text
        assert "tu fêtes tes 17 ans" in text
        assert "word je 18" not in text and "tes 18 ans" not in text
    assert any("Dieses Jahr wirst du 17," in text for text in texts)


def test_a_cohort_born_across_two_years_reads_both_ages(app):
    cohort = factories.cohort(born_from=date(YEAR - 18, 7, 1), born_to=date(YEAR - 17, 6, 30))
    person = factories.person(cohort, postcode="4700", birth_date=date(YEAR - 18, 8, 1))
    db.session.commit()
    letter, _code = invitation.issue_letter(person, cohort, actor=None)
    db.session.commit()
    text = _text(letter)
    assert "Dieses Jahr wirst du 17 oder 18," in text
    assert "tu fêtes tes 17 ou 18 ans" in text
    assert "Dit jaar word je 17 of 18," in text


def test_a_wider_cohort_reads_the_range_of_its_ages(app):
    cohort = factories.cohort(born_from=date(YEAR - 25, 1, 1), born_to=date(YEAR - 18, 12, 31))
    person = factories.person(cohort, postcode="1000", birth_date=date(YEAR - 20, 2, 2))
    db.session.commit()
    letter, _code = invitation.issue_letter(person, cohort, actor=None)
    db.session.commit()
    text = _text(letter)
    assert "tu auras entre 18 et 25 ans" in text
    assert "Dit jaar word je tussen 18 en 25 jaar oud" in text


def test_the_invitation_promises_no_component_by_name(app):
    """Which components take people is each intake's decision, not the letter's."""
    cohort = factories.cohort()
    person = factories.person(cohort, postcode="9000")
    db.session.commit()
    letter, _code = invitation.issue_letter(person, cohort, actor=None)
    text = _text(letter).lower()
    for word in ("cyber", "medisch", "médical", "op zee", "en mer"):
        assert word not in text


def test_the_cohort_page_shows_the_age_its_letters_print(app, client, login_as):
    cohort = factories.cohort(born_from=date(YEAR - 17, 1, 1), born_to=date(YEAR - 17, 12, 31))
    db.session.commit()
    login_as("admin", language="en")
    page = client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert '<dd id="letter-age">17</dd>' in page
