"""E-mails are multipart, in the recipient's language, delivered by SMTP or to files."""
from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from portal import mail
from portal.accounts import services
from portal.accounts.models import User
from portal.extensions import db
from tests.support import factories
from tests.support.client import post_form
from tests.support.mail import html_of, links_in, outbox, text_of


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []
        self.logins = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content,
                                                                    policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = _Inbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"portal"
              and auth_data.password == b"s3cret pass")
        inbox.logins.append(auth_data.login)
        return AuthResult(success=ok)

    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(),
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    yield controller, inbox
    controller.stop()


def test_smtp_delivery_is_multipart_in_the_recipients_language(app, smtp_server):
    controller, inbox = smtp_server
    user = factories.user(language="fr", first_name="Camille", verified=False)
    app.config["MAIL_URL"] = f"smtp://portal:s3cret%20pass@127.0.0.1:{controller.port}"
    try:
        services.send_verification(user)
    finally:
        app.config["MAIL_URL"] = None
    assert inbox.logins == [b"portal"]
    [(recipients, message)] = inbox.messages
    assert recipients == [user.email]
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "Confirme ton adresse e-mail"
    assert message["Content-Language"] == "fr"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
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
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{_free_port()}"  # nothing listens there
    try:
        response = post_form(client, "/sign-up", {
            "first_name": "Noah", "last_name": "Janssens", "email": "noah@example.be",
            "language": "nl", "password": "een lange zin als wachtwoord",
            "confirm": "een lange zin als wachtwoord"}, follow_redirects=True)
    finally:
        app.config["MAIL_URL"] = None
    assert response.status_code == 200
    assert "We konden de e-mail nu niet versturen." in response.text
    assert db.session.scalar(db.select(User).where(User.email == "noah@example.be"))
