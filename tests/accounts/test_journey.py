"""The whole account journey through the web pages, as a citizen lives it."""
from __future__ import annotations

from portal.accounts.models import User
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support.client import post_form
from tests.support.mail import last_mail_to, links_in, outbox, path_of, text_of

PASSWORD = "a long and unusual passphrase"
NEW_PASSWORD = "another very different phrase"


def _signup(client, email="an.peeters@example.be", **extra):
    data = {"first_name": "An", "last_name": "Peeters", "email": email, "language": "nl",
            "password": PASSWORD, "confirm": PASSWORD, **extra}
    return post_form(client, "/sign-up", data)


def _login(client, email, password, url="/login"):
    return post_form(client, url, {"email": email, "password": password}, page="/login")


def _link(message, part):
    [link] = [u for u in links_in(message) if part in u]
    return path_of(link)


def _actions():
    return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


def test_sign_up_verify_login_logout_reset_and_login_again(client):
    response = _signup(client, email="An.Peeters@Example.be ", language="fr")
    assert response.status_code == 302 and response.location.endswith("/sign-up/check-email")
    user = db.session.scalar(db.select(User))
    assert user.email == "an.peeters@example.be" and user.language == "fr"
    assert user.email_verified_at is None and user.role == "citizen"

    message = last_mail_to("an.peeters@example.be")
    assert message["Subject"] == "Confirme ton adresse e-mail"
    response = client.get(_link(message, "/verify-email/"))
    assert response.status_code == 302 and response.location.endswith("/login")
    db.session.refresh(user)
    assert user.email_verified_at is not None

    response = _login(client, "an.peeters@example.be", PASSWORD)
    assert response.status_code == 302 and response.location.endswith("/my-application")
    page = client.get("/account").get_data(as_text=True)
    assert "an.peeters@example.be" in page and "Mon compte" in page

    post_form(client, "/logout", {}, page="/account")
    assert client.get("/account").status_code == 302

    # buffered: the client reads the whole answer and closes it, as a browser does; the
    # reset mail leaves only then.
    response = post_form(client, "/forgot-password", {"email": "an.peeters@example.be"},
                         buffered=True)
    assert response.location.endswith("/forgot-password/sent")
    reset = last_mail_to("an.peeters@example.be")
    assert reset["Subject"] == "Réinitialise ton mot de passe"
    response = client.get(_link(reset, "/reset-password/"))
    assert response.location.endswith("/reset-password")  # the token leaves the address bar
    response = post_form(client, "/reset-password",
                         {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/login")

    response = _login(client, "an.peeters@example.be", PASSWORD)
    assert response.status_code == 200
    assert "Het e-mailadres of het wachtwoord is niet juist." in response.text
    response = _login(client, "an.peeters@example.be", NEW_PASSWORD)
    assert response.status_code == 302
    assert _actions() == [
        "accounts.signup", "accounts.email_verified", "accounts.login", "accounts.logout",
        "accounts.password_reset", "accounts.login_failed", "accounts.login",
    ]
    assert "passphrase" not in " ".join(e.details for e in db.session.scalars(
        db.select(AuditEvent)))
    assert len(outbox()) == 2 and "passphrase" not in text_of(outbox()[0])
