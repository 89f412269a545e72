"""E-mails are multipart, in the recipient's language, delivered by SMTP or to files."""
from __future__ import annotations

import pytest

from portal import mail
from portal.accounts import services
from portal.accounts.models import User
from portal.extensions import db
from tests.support import factories
from tests.support.client import post_form
from tests.support.mail import html_of, links_in, outbox, text_of
from tests.support.smtp import smtp_server


def test_smtp_delivery_is_multipart_in_the_recipients_language(app):
    user = factories.user(language="fr", first_name="Camille", verified=False)
    with smtp_server(app, login=("portal", "s3cret pass")) as inbox:
        assert inbox.url.startswith("smtp://portal:s3cret%20pass@127.0.0.1:")
        services.send_verification(user)
    assert inbox.logins == ["portal"]
    [received] = inbox.received
    assert received.rcpt_tos == (user.email,)
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "Confirme ton adresse e-mail"
    assert message["Content-Language"] == "fr"
    text, html = text_of(message), html_of(message)
    assert "Bonjour Camille" in text
    assert "Bonjour Camille" in html and '<html lang="fr">' in html
    assert "http://portal.test/verify-email/" in text
    assert not outbox(), "with MAIL_URL nothing is written to MAIL_DIR"


def test_without_mail_url_each_message_is_an_eml_file_and_the_log_has_no_token(app, caplog):
    user = factories.user(language="de", first_name="Lena", verified=False)
    caplog.set_level("INFO", logger="portal.mail")
    services.send_verification(user)
    [message] = outbox()
    assert message["To"] == user.email
    assert message["Subject"] == "Bestätige deine E-Mail-Adresse"
    assert "Hallo Lena" in text_of(message) and "Hallo Lena" in html_of(message)
    [link] = [u for u in links_in(message) if "/verify-email/" in u]
    token = link.rsplit("/", 1)[1]
    assert user.email in caplog.text and "Bestätige" in caplog.text
    assert token not in caplog.text


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.be", ("mail.example.be", 25, False, False, None, None)),
    ("smtp://u%40x:p%3Aw@mail.example.be:587?starttls=1",
     ("mail.example.be", 587, False, True, "u@x", "p:w")),
    ("smtps://u:p@mail.example.be", ("mail.example.be", 465, True, False, "u", "p")),
])
def test_mail_url_forms(url, expected):
    s = mail.parse_mail_url(url)
    assert (s.host, s.port, s.ssl, s.starttls, s.username, s.password) == expected


def test_a_mail_url_of_another_scheme_is_refused():
    with pytest.raises(ValueError, match="MAIL_URL"):
        mail.parse_mail_url("http://mail.example.be")


def test_a_mail_outage_keeps_the_new_account_and_says_so(app, client):
    with smtp_server(app, started=False):
        response = post_form(client, "/sign-up", {
            "first_name": "Noah", "last_name": "Janssens", "email": "noah@example.be",
            "language": "nl", "password": "een lange zin als wachtwoord",
            "confirm": "een lange zin als wachtwoord"}, follow_redirects=True)
    assert response.status_code == 200
    assert "We konden de e-mail nu niet versturen." in response.text
    assert db.session.scalar(db.select(User).where(User.email == "noah@example.be"))
