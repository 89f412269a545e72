"""Mail server down: nothing is lost. The e-mail waits in the outbox and goes once the
server is back (`flask deliveries sweep`), exactly once."""
from __future__ import annotations

from portal.extensions import db
from portal.outbox import Delivery
from tests.support.client import post_form
from tests.support.mail import text_of
from tests.support.smtp import smtp_server


def test_a_mail_sent_while_the_server_is_down_is_queued_and_retried_once(app, client):
    with smtp_server(app, started=False) as inbox:
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

        inbox.start()
        assert "delivered 1; 0 still waiting" in runner.invoke(
            args=["deliveries", "sweep", "--all"]).output
        assert "delivered 0; 0 still waiting" in runner.invoke(
            args=["deliveries", "sweep", "--all"]).output
    [message] = inbox.messages
    assert message["To"] == "lina@example.be"
    assert "/verify-email/" in text_of(message) or "verif" in text_of(message)
    db.session.expire_all()
    row = db.session.scalar(db.select(Delivery))
    # Sent: the message (its link carries a token) is no longer kept.
    assert row.sent_at is not None and row.message is None
