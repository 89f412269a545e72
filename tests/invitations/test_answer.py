"""/start/answer: with the letter's code, "not interested" or "maybe later", no account."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.invitations import services
from tests.support import factories
from tests.support.client import post_form

BIRTH = date(2008, 5, 17)
REFUSED = "This code and date of birth do not open an invitation."


@pytest.fixture
def invited(app):
    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    person = factories.person(cohort, postcode="4700", birth_date=BIRTH,
                              first_names="Anna Maria", last_name="Schmitz")
    invitation, code = services.issue_invitation(person, cohort, actor=None)
    db.session.commit()
    return invitation, code


def _answer(client, code, answer, birth=BIRTH):
    return post_form(client, "/start/answer",
                     {"code": code, "birth_date": birth.isoformat(), "answer": answer})


def test_the_start_page_offers_an_answer_without_an_account(client):
    client.set_cookie("lang", "en")
    page = client.get("/start").get_data(as_text=True)
    assert 'href="/start/answer"' in page
    assert client.get("/start/answer").status_code == 200


def test_not_interested_is_recorded_counted_and_says_when_data_go(
        app, client, invited, login_as):
    invitation, code = invited
    client.set_cookie("lang", "en")
    response = _answer(client, code, "not_interested")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "We noted that you are not interested." in page
    cohort = invitation.person.cohort
    deleted = cohort.expires_on + timedelta(
        days=app.config["RETENTION_DAYS"]["persons_never_signed_up"])
    assert str(deleted.year) in page and "National Register" in page
    db.session.refresh(invitation)
    assert invitation.answer == "not_interested" and invitation.answered_at is not None
    assert services.cohort_counts(cohort)["not_interested"] == 1

    login_as("admin", language="en")
    admin_page = client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert '<dd id="count-not-interested">1</dd>' in admin_page
    assert '<dd id="count-later">0</dd>' in admin_page


def test_maybe_later_keeps_the_code_for_signing_up(client, invited):
    invitation, code = invited
    client.set_cookie("lang", "en")
    page = _answer(client, code, "later").get_data(as_text=True)
    assert "You can still sign up with the same code" in page
    db.session.refresh(invitation)
    assert invitation.answer == "later"
    response = post_form(client, "/start", {"code": code, "birth_date": BIRTH.isoformat()})
    assert response.headers["Location"].endswith("/start/account")


def test_the_confirmation_is_in_the_persons_language(client, invited):
    _invitation, code = invited
    client.set_cookie("lang", "de")
    page = _answer(client, code, "not_interested").get_data(as_text=True)
    assert "Danke für deine Antwort" in page


def test_a_wrong_code_records_nothing_and_counts_against_the_code_limit(
        app, client, invited, monkeypatch):
    invitation, code = invited
    client.set_cookie("lang", "en")
    monkeypatch.setitem(app.config, "CODE_LIMIT", "3 per 15 minutes")
    for _ in range(3):
        assert REFUSED in _answer(client, "ABCD-EFGH-JKMN", "later").get_data(as_text=True)
    assert _answer(client, code, "later").status_code == 429
    db.session.refresh(invitation)
    assert invitation.answer is None
