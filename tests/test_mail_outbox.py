"""Mail server down: nothing is lost. The e-mail waits in the outbox and goes once the
server is back (`flask deliveries sweep`), exactly once."""
from __future__ import annotations

import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from portal.extensions import db
from portal.outbox import Delivery
from tests.support.client import post_form


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def test_a_mail_sent_while_the_server_is_down_is_queued_and_retried_once(app, client):
    port = _free_port()
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{port}"  # nothing listens there yet
    inbox = _Inbox()
    controller = None
    try:
        response = post_form(client, "/sign-up", {
            "first_name": "Lina", "last_name": "Peeters", "email": "lina@example.be",
            "language": "nl", "password": "een lange zin als wachtwoord",
            "confirm": "een lange zin als wachtwoord"}, follow_redirects=True)
        assert response.status_code == 200
        queued = db.session.scalars(db.select(Delivery)).all()
        assert [(m.recipient, m.sent_at) for m in queued] == [("lina@example.be", None)]
        runner = app.test_cli_runner()
        # Still down: the retry keeps it, and waits longer before the next try.
        assert "delivered 0; 1 still waiting" in runner.invoke(
            args=["deliveries", "sweep", "--all"]).output
        db.session.expire_all()
        assert db.session.scalar(db.select(Delivery.attempts)) == 2

        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        assert "delivered 1; 0 still waiting" in runner.invoke(
            args=["deliveries", "sweep", "--all"]).output
        assert "delivered 0; 0 still waiting" in runner.invoke(
            args=["deliveries", "sweep", "--all"]).output
    finally:
        app.config["MAIL_URL"] = None
        if controller is not None:
            controller.stop()
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "lina@example.be"
    assert "/verify-email/" in message.get_body(preferencelist=("plain",)).get_content() \
        or "verif" in message.get_body(preferencelist=("plain",)).get_content()
    db.session.expire_all()
    row = db.session.scalar(db.select(Delivery))
    # Sent: the message (its link carries a token) is no longer kept.
    assert row.sent_at is not None and row.message is None
