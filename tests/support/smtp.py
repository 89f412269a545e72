"""A real mail server for the tests: aiosmtpd on a free loopback port, keeping each message
it accepts. It can be down at first (the app's try is refused), ask for a login, or answer
slowly; `wait_for(n)` blocks until n messages arrived or fails after a timeout."""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import quote

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.own_services import free_port


@dataclass(frozen=True)
class Received:
    """One accepted message with its envelope."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage


class SmtpInbox:
    """A mail server that is down until start(); `url` reaches it (with the login if any)."""

    def __init__(self, *, login: tuple[str, str] | None = None, delay: float = 0.0):
        self.port = free_port()
        self.login = login
        self.delay = delay  # seconds before each message is accepted
        self.received: list[Received] = []
        self.logins: list[str] = []  # every login tried, right or wrong
        self._arrived = threading.Condition()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        user = ""
        if self.login:
            user = ":".join(quote(part, safe="") for part in self.login) + "@"
        return f"smtp://{user}127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        with self._arrived:
            return [r.message for r in self.received]

    def start(self) -> None:
        auth = {}
        if self.login:
            auth = {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                      **auth)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        """The messages once at least `count` arrived; fails after `timeout` seconds."""
        with self._arrived:
            arrived = self._arrived.wait_for(lambda: len(self.received) >= count, timeout)
            assert arrived, f"{len(self.received)} of {count} messages within {timeout} s"
            return [r.message for r in self.received]

    def _accept(self, envelope) -> None:
        received = Received(envelope.mail_from, tuple(envelope.rcpt_tos),
                            message_from_bytes(envelope.content, policy=policy.default))
        with self._arrived:
            self.received.append(received)
            self._arrived.notify_all()

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        # handled=False: aiosmtpd answers a refusal with 535 (else it stays silent).
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode()
        self.logins.append(login)
        right = (login, auth_data.password.decode()) == self.login
        return AuthResult(success=right, handled=False)


class _Handler:
    def __init__(self, inbox: SmtpInbox):
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name
        if self.inbox.delay:
            await asyncio.sleep(self.inbox.delay)
        self.inbox._accept(envelope)
        return "250 OK"


@contextmanager
def smtp_server(app, *, started: bool = True, **options) -> Iterator[SmtpInbox]:
    """An SmtpInbox the app's MAIL_URL points at while the block runs, stopped after it.
    `started=False`: the server is down until the test calls start()."""
    inbox = SmtpInbox(**options)
    saved = app.config["MAIL_URL"]
    app.config["MAIL_URL"] = inbox.url
    try:
        if started:
            inbox.start()
        yield inbox
    finally:
        app.config["MAIL_URL"] = saved
        inbox.stop()
