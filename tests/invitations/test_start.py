"""/start: an invitation code and the date of birth open a prefilled sign-up."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from portal.accounts.models import User
from portal.extensions import db
from portal.invitations import services
from portal.invitations.models import Invitation
from portal.models import utcnow
from tests.support import factories
from tests.support.client import post_form
from tests.support.mail import outbox


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English texts; the portal would otherwise answer in Dutch."""
    client.set_cookie("lang", "en")

BIRTH = date(2008, 5, 17)
REFUSED = "This code and date of birth do not open an invitation."


@pytest.fixture
def invited(app):
    """(invitation, plain code) for a person from Eupen whose register language is German."""
    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    person = factories.person(cohort, postcode="4700", birth_date=BIRTH,
                              first_names="Anna Maria", last_name="Schmitz")
    invitation, code = services.issue_invitation(person, cohort, actor=None)
    db.session.commit()
    return invitation, code


def _enter(client, code, birth=BIRTH):
    return post_form(client, "/start", {"code": code, "birth_date": birth.isoformat()})


def test_a_good_code_opens_a_prefilled_sign_up_and_is_used_up(client, invited):
    invitation, code = invited
    response = _enter(client, code.lower().replace("-", " "))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/start/account")

    page = client.get("/start/account").get_data(as_text=True)
    assert 'value="Anna"' in page and 'value="Schmitz"' in page
    assert '<option lang="de" selected value="de">' in page or 'selected value="de"' in page

    response = post_form(client, "/start/account", {
        "first_name": "Anna", "last_name": "Schmitz", "email": "anna@example.be",
        "language": "de", "password": "lange sichere Passphrase 42",
        "confirm": "lange sichere Passphrase 42"})
    assert response.status_code == 302
    assert "/sign-up/check-email" in response.headers["Location"]

    user = db.session.scalar(db.select(User).where(User.email == "anna@example.be"))
    invitation = db.session.get(Invitation, invitation.id)
    assert user.person.id == invitation.person_id
    assert (user.first_name, user.last_name, user.language) == ("Anna", "Schmitz", "de")
    assert user.email_verified_at is None
    assert invitation.used_at is not None and invitation.user_id == user.id
    assert invitation.person.national_number is None  # no longer needed
    assert [m["To"] for m in outbox()] == ["anna@example.be"]

    # The code is used up: a second go gets the same refusal as any wrong code.
    other_browser = client.application.test_client()
    other_browser.set_cookie("lang", "en")
    second = _enter(other_browser, code)
    assert REFUSED in second.get_data(as_text=True)


def test_the_qr_link_moves_the_code_out_of_the_url(client, invited):
    _invitation, code = invited
    response = client.get(f"/start?code={code}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/start"
    assert code not in response.headers["Location"]
    page = client.get("/start").get_data(as_text=True)
    assert f'value="{code}"' in page
    response = _enter(client, code)
    assert response.headers["Location"].endswith("/start/account")
    assert code not in response.headers["Location"]


@pytest.mark.parametrize("case", ["wrong", "mistyped", "used", "expired", "revoked",
                                  "wrong_birth_date"])
def test_bad_codes_all_get_one_generic_message(client, invited, case):
    invitation, code = invited
    birth = BIRTH
    if case == "wrong":
        from portal.invitations import codes
        code = codes.generate()
    elif case == "mistyped":
        code = code[:-1] + ("A" if code[-1] != "A" else "B")
    elif case == "used":
        invitation.used_at = utcnow()
    elif case == "expired":
        invitation.expires_on = date.today() - timedelta(days=1)
    elif case == "revoked":
        invitation.revoked_at = utcnow()
    else:
        birth = BIRTH + timedelta(days=1)
    db.session.commit()
    response = _enter(client, code, birth)
    assert response.status_code == 200
    assert REFUSED in response.get_data(as_text=True)
    assert client.get("/start/account").headers["Location"].endswith("/start")


def test_failed_attempts_are_throttled_per_address_and_date_of_birth(
        app, client, invited, monkeypatch):
    _invitation, code = invited
    monkeypatch.setitem(app.config, "CODE_LIMIT", "3 per 15 minutes")
    for _ in range(3):
        assert REFUSED in _enter(client, "ABCD-EFGH-JKMN", BIRTH).get_data(as_text=True)
    # Even the right code for that date is refused now, without saying whether it was right,
    # and the page says how long to wait.
    response = _enter(client, code)
    assert response.status_code == 429
    assert re.search(r"Try again in (1[0-5]|[1-9]) minutes?\.", response.get_data(as_text=True))
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60


def test_a_classmate_with_her_own_letter_is_not_kept_out_by_someone_elses_mistakes(
        app, client, invited, monkeypatch):
    """Ten wrong codes from a school's shared address do not stop a pupil whose code and
    date of birth are right."""
    invitation, _code = invited
    classmate_birth = date(2008, 9, 2)
    cohort = invitation.person.cohort
    classmate = factories.person(cohort, postcode="4700", birth_date=classmate_birth,
                                 first_names="Lea", last_name="Kohnen")
    _inv, classmate_code = services.issue_invitation(classmate, cohort, actor=None)
    db.session.commit()
    for _ in range(10):
        assert REFUSED in _enter(client, "ABCD-EFGH-JKMN", BIRTH).get_data(as_text=True)
    assert _enter(client, classmate_code, classmate_birth).status_code == 302


def test_a_guesser_changing_the_date_each_time_meets_the_address_ceiling(
        app, client, invited, monkeypatch):
    monkeypatch.setitem(app.config, "CODE_ADDRESS_LIMIT", "5 per hour")
    for day in range(5):
        assert _enter(client, "ABCD-EFGH-JKMN", date(2008, 1, day + 1)).status_code == 200
    assert _enter(client, "ABCD-EFGH-JKMN", date(2008, 2, 1)).status_code == 429


def test_a_good_attempt_does_not_count_against_the_limit(app, client, invited, monkeypatch):
    _invitation, code = invited
    monkeypatch.setitem(app.config, "CODE_LIMIT", "2 per hour")
    for _ in range(3):
        assert _enter(client, code).status_code == 302


def test_the_form_keeps_what_was_typed_and_explains_a_missing_date(client, invited):
    _invitation, code = invited
    response = post_form(client, "/start", {"code": code, "birth_date": ""})
    page = response.get_data(as_text=True)
    assert "Enter your date of birth." in page
    assert f'value="{code}"' in page


def test_the_account_step_needs_a_code_first(client, app):
    response = client.get("/start/account")
    assert response.status_code == 302 and response.headers["Location"].endswith("/start")


def test_access_logs_never_show_the_code_of_a_qr_link(app, invited, caplog):
    import logging

    _invitation, code = invited
    caplog.set_level(logging.INFO, logger="werkzeug")
    # What the development server logs for the QR request (werkzeug's own format).
    logging.getLogger("werkzeug").info('%s - - [%s] "%s" %s %s', "127.0.0.1", "now",
                                       f"GET /start?lang=de&code={code} HTTP/1.1", "302", "-")
    atoms = {"r": f"GET /start?code={code} HTTP/1.1", "q": f"code={code}"}
    logging.getLogger("gunicorn.access").info("%(r)s %(q)s", atoms)
    assert code not in caplog.text
    assert "/start?lang=de&code=[redacted]" in caplog.text


def test_a_signed_in_user_is_sent_to_their_own_page(client, login_as, invited):
    _invitation, code = invited
    login_as("citizen", language="en")
    response = client.get("/start")
    assert response.status_code == 302 and "/start" not in response.headers["Location"]
