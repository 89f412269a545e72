"""The account page: details, language, e-mail address (re-verified) and password."""
from __future__ import annotations

from portal.accounts.models import User
from portal.accounts.passwords import verify_password
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories
from tests.support.client import post_form, sign_in
from tests.support.mail import last_mail_to, links_in, outbox, path_of

NEW = "a completely new passphrase"


def _audit(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_details_and_language_are_saved_and_the_page_follows_the_language(client, login_as):
    user = login_as("citizen")
    response = post_form(client, "/account", {"first_name": " Lena ", "last_name": "Schmitz",
                                              "language": "de"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.first_name, user.last_name, user.language) == ("Lena", "Schmitz", "de")
    page = client.get("/account").text
    assert "Deine Angaben sind gespeichert." in page and '<html lang="de">' in page
    assert _audit("accounts.profile_updated")[0].details_dict["fields"] == [
        "first_name", "language", "last_name"]


def test_an_unknown_language_is_refused_and_nothing_changes(client, login_as):
    user = login_as("citizen", language="fr")
    response = post_form(client, "/account", {"first_name": "Changed", "last_name": "Name",
                                              "language": "klingon"})
    assert response.status_code == 400
    assert "Choisis une des langues de la liste." in response.text
    assert 'value="Changed"' in response.text
    db.session.refresh(user)
    assert user.language == "fr" and user.first_name != "Changed"


def test_changing_the_password_needs_the_current_one(client, login_as):
    user = login_as("citizen")
    response = post_form(client, "/account/password", {
        "current_password": "wrong wrong wrong", "password": NEW, "confirm": NEW},
        page="/account")
    assert response.status_code == 400
    assert "Je huidige wachtwoord is niet juist." in response.text
    db.session.refresh(user)
    assert verify_password(user.password_hash, factories.PASSWORD)


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, login_as):
    user = login_as("citizen")
    other = app.test_client()
    sign_in(other, user)  # the same account in another browser
    assert other.get("/account").status_code == 200
    response = post_form(client, "/account/password", {
        "current_password": factories.PASSWORD, "password": NEW, "confirm": NEW},
        page="/account")
    assert response.status_code == 302
    assert "Je nieuwe wachtwoord is opgeslagen." in client.get("/account").text
    assert other.get("/account").status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW)


def test_a_new_password_mismatch_is_shown_next_to_the_confirmation(client, login_as):
    login_as("citizen")
    response = post_form(client, "/account/password", {
        "current_password": factories.PASSWORD, "password": NEW, "confirm": NEW + "x"},
        page="/account")
    assert response.status_code == 400
    assert 'id="confirm-error"' in response.text


def test_changing_the_email_address_needs_the_password_and_verifies_again(client, login_as):
    user = login_as("citizen", email="old@example.be", language="nl")
    response = post_form(client, "/account/email", {
        "email": "new@example.be", "current_password": "wrong wrong wrong"}, page="/account")
    assert response.status_code == 400 and 'value="new@example.be"' in response.text
    assert outbox() == []

    response = post_form(client, "/account/email", {
        "email": "New@Example.be", "current_password": factories.PASSWORD}, page="/account")
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.email == "new@example.be" and user.email_verified_at is None
    warning = last_mail_to("old@example.be")
    assert warning["Subject"] == "Het e-mailadres van je account is gewijzigd"
    verify = last_mail_to("new@example.be")
    [link] = [path_of(u) for u in links_in(verify) if "/verify-email/" in u]
    client.get(link)
    db.session.refresh(user)
    assert user.email_verified_at is not None
    [event] = _audit("accounts.email_changed")
    assert "old@example.be" not in event.details


def test_an_address_of_another_account_cannot_be_taken(client, login_as):
    factories.user(email="taken@example.be")
    user = login_as("citizen")
    response = post_form(client, "/account/email", {
        "email": "taken@example.be", "current_password": factories.PASSWORD}, page="/account")
    assert response.status_code == 400
    assert "Een ander account gebruikt dit e-mailadres al." in response.text
    db.session.refresh(user)
    assert user.email != "taken@example.be"
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 2


def test_the_account_page_needs_a_login(client):
    assert "/login" in client.get("/account").location
