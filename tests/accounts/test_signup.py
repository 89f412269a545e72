"""Sign-up: bad input explained next to the field, nothing lost, no account enumeration."""
from __future__ import annotations

import re

import pytest

from portal.accounts.models import User
from portal.extensions import db
from tests.support import factories
from tests.support.client import post_form
from tests.support.mail import last_mail_to, outbox

GOOD = {"first_name": "Lucas", "last_name": "Dubois", "email": "lucas.dubois@example.be",
        "language": "fr", "password": "sept mots de passe sûrs", "confirm":
        "sept mots de passe sûrs"}


def _error_for(html: str, field: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no error next to {field}"
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Fout:", "").strip()


def _users() -> int:
    return len(db.session.scalars(db.select(User)).all())


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"email": "not-an-address"}, "email", "Vul een e-mailadres in zoals naam@voorbeeld.be."),
    ({"email": "x" * 250 + "@example.be"}, "email", "Gebruik hoogstens 254 tekens."),
    ({"first_name": "L" * 101}, "first_name", "Gebruik hoogstens 100 tekens."),
    ({"last_name": ""}, "last_name", "Vul je achternaam in."),
    ({"password": "short pass", "confirm": "short pass"}, "password",
     "Gebruik minstens 12 tekens."),
    ({"password": "p" * 129, "confirm": "p" * 129}, "password", "Gebruik hoogstens 128 tekens."),
    ({"password": "lucas.dubois is great", "confirm": "lucas.dubois is great"}, "password",
     "Gebruik je e-mailadres niet in je wachtwoord."),
    ({"password": "aaaaaaaaaaaaaaa", "confirm": "aaaaaaaaaaaaaaa"}, "password",
     "Dit wachtwoord is te makkelijk te raden."),
    ({"confirm": "something else entirely"}, "confirm",
     "De twee wachtwoorden zijn niet hetzelfde."),
    ({"language": "xx"}, "language", "Kies een van de talen in de lijst."),
])
def test_bad_input_is_explained_next_to_the_field_and_typed_values_stay(
        client, changes, field, message):
    response = post_form(client, "/sign-up", {**GOOD, **changes})
    assert response.status_code == 200
    html = response.text
    assert _error_for(html, field) == message
    assert 'class="error-summary"' in html and f'href="#{field}"' in html
    kept = {**GOOD, **changes}
    for name in ("first_name", "last_name"):
        assert f'value="{kept[name]}"' in html
    assert GOOD["password"] not in html and 'value="short pass"' not in html
    assert _users() == 0 and outbox() == []


def test_the_language_is_preselected_from_the_current_locale(client):
    html = client.get("/sign-up", headers={"Accept-Language": "de-BE,de;q=0.9"}).text
    assert re.search(r'<option lang="de" selected value="de">|<option[^>]*selected[^>]*value="de"'
                     r'|<option[^>]*value="de"[^>]*selected', html)


def test_signing_up_with_a_known_address_looks_the_same_and_warns_the_owner(client):
    owner = factories.user(email="lucas.dubois@example.be", language="fr")
    db.session.commit()
    response = post_form(client, "/sign-up", GOOD)
    assert response.status_code == 302 and response.location.endswith("/sign-up/check-email")
    assert _users() == 1
    message = last_mail_to(owner.email)
    assert message["Subject"] == "Tu as déjà un compte"
    assert "/verify-email/" not in message.get_body(preferencelist=("plain",)).get_content()
    page = client.get("/sign-up/check-email").text
    assert "lucas.dubois@example.be" in page


def test_a_new_account_is_unverified_can_log_in_and_may_ask_for_a_new_link(client):
    post_form(client, "/sign-up", GOOD)
    assert len(outbox()) == 1
    response = post_form(client, "/login", {"email": GOOD["email"], "password": GOOD["password"]})
    assert response.status_code == 302
    page = client.get("/account").text
    assert "Confirme ton adresse e-mail" in page and "pas encore confirmée" in page
    response = post_form(client, "/account/verify-email/resend", {}, page="/account")
    assert response.status_code == 302
    assert len(outbox()) == 2
    assert "Nous avons envoyé un nouvel e-mail" in client.get("/account").text


def test_a_logged_in_user_opening_sign_up_goes_to_their_page(client, login_as):
    login_as("citizen")
    assert client.get("/sign-up").location == "/my-application"


def test_fields_keep_their_input_types_and_get_no_empty_attributes(client):
    html = client.get("/sign-up").text
    inputs = {m.group(1): m.group(0) for m in re.finditer(r'<input[^>]*\bid="(\w+)"[^>]*>', html)}
    assert 'type="password"' in inputs["password"] and 'type="password"' in inputs["confirm"]
    assert 'autocomplete="new-password"' in inputs["password"]
    assert 'type="email"' in inputs["email"]
    assert '"None"' not in html


def test_a_form_sent_without_its_csrf_token_gets_the_friendly_page(client):
    response = client.post("/sign-up", data=GOOD)
    assert response.status_code == 400
    assert "Je sessie is verlopen" in response.text and _users() == 0
    response = client.post("/login", data={"email": GOOD["email"], "password": "x" * 12})
    assert response.status_code == 400 and "Je sessie is verlopen" in response.text


def test_invisible_control_and_direction_override_characters_are_not_stored(client):
    post_form(client, "/sign-up", {**GOOD, "first_name": "Lu\x00cas\u202e",
                                   "last_name": "\u2066Dub\x07ois\u2069"})
    user = db.session.scalar(db.select(User))
    assert (user.first_name, user.last_name) == ("Lucas", "Dubois")
