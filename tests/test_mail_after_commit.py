"""E-mails sent after the commit go through the mail outbox: stored in the transaction that
caused them, so a rollback sends nothing and a failure after the commit (or after the
response) loses nothing: `flask deliveries sweep` sends them, exactly once."""
from __future__ import annotations

import time

from portal import outbox
from portal.extensions import db
from portal.outbox import Delivery
from tests.live import Client, serving
from tests.support import factories
from tests.support.mail import outbox as mail_files
from tests.support.mail import text_of
from tests.support.smtp import smtp_server


def _rows():
    db.session.expire_all()
    return db.session.scalars(db.select(Delivery).order_by(Delivery.id)).all()


def test_a_mail_queued_in_a_transaction_that_rolls_back_is_never_sent(app):
    outbox.later("someone@example.be", "notice", "nl", "Onderwerp", name="Lien",
                 lines=("Een regel.",), link=None, link_label=None)
    assert len(_rows()) == 1  # in the transaction, not yet sent
    db.session.rollback()
    assert _rows() == []
    assert mail_files() == []


def test_a_mail_queued_in_a_transaction_goes_out_once_it_commits(app):
    outbox.later("someone@example.be", "notice", "nl", "Onderwerp", name="Lien",
                 lines=("Een regel.",), link=None, link_label=None)
    assert mail_files() == []
    db.session.commit()
    [message] = mail_files()
    assert message["To"] == "someone@example.be"
    [row] = _rows()
    assert row.sent_at is not None and row.message is None  # its text (tokens) is gone


def test_a_reset_mail_whose_sending_after_the_response_fails_waits_in_the_outbox(app):
    """The reset mail is written to the outbox before the page is answered; the mail
    server is down when it is sent after the response, and `deliveries sweep` sends it later."""
    factories.user(email="known@example.be")
    db.session.commit()
    with smtp_server(app, started=False) as inbox:
        with serving(app) as base:
            for email in ("known@example.be", "nobody@example.be"):
                status, headers, _html = Client(base).post_form("/forgot-password",
                                                                {"email": email})
                assert (status, headers["Location"]) == (302, "/forgot-password/sent")
            deadline = time.monotonic() + 15
            # The unknown address's stand-in row is deleted when its turn comes.
            while not [r for r in _rows() if r.attempts] or len(_rows()) != 1:
                assert time.monotonic() < deadline, "the try after the response never came"
                time.sleep(0.1)
        [row] = _rows()  # nothing for an address without an account
        assert (row.recipient, row.sent_at, row.last_error) == (
            "known@example.be", None, "ConnectionRefusedError")

        inbox.start()
        runner = app.test_cli_runner()
        assert "delivered 1; 0 still waiting" in runner.invoke(
            args=["deliveries", "sweep", "--all"]).output
        assert "delivered 0; 0 still waiting" in runner.invoke(
            args=["deliveries", "sweep", "--all"]).output
    [received] = inbox.received
    assert received.rcpt_tos == ("known@example.be",)
    assert "/reset-password/" in text_of(received.message)
