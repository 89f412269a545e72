"""A password-reset request does the same work for a known and an unknown address (a token,
an outbox row, a commit; the same SQL statements before the answer), so its timing tells
nothing; only the known address gets an e-mail, and nothing of the unknown one is kept.
Timings themselves: benchmarks/reset_timing.py."""
from __future__ import annotations

import re

from flask import request_finished
from sqlalchemy import event, text

from portal.extensions import db
from portal.outbox import Delivery
from tests.support import factories
from tests.support.client import csrf_token
from tests.support.mail import outbox

_VALUES = re.compile(r"\(\?(, \?)*\)|%\(\w+\)s|\?|'[^']*'|\d+")


class _Work:
    """The SQL statements and commits of one request, up to its answer (what is done after
    the response has gone out cannot be timed by the one who asked)."""

    def __init__(self, app):
        self.app, self.statements, self.commits, self.on = app, [], 0, False

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._statement)
        event.listen(db.engine, "commit", self._commit)
        request_finished.connect(self._answered, self.app)
        self.on = True
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._statement)
        event.remove(db.engine, "commit", self._commit)
        request_finished.disconnect(self._answered, self.app)

    def _statement(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.statements.append(_VALUES.sub("?", " ".join(statement.split())))

    def _commit(self, conn):
        if self.on:
            self.commits += 1

    def _answered(self, sender, response, **extra):
        self.on = False


def _ask_reset(app, client, email: str) -> _Work:
    token = csrf_token(client, "/forgot-password")
    with _Work(app) as work:
        response = client.post("/forgot-password", data={"csrf_token": token, "email": email})
    assert response.status_code == 302 and response.headers["Location"] == \
        "/forgot-password/sent"
    response.close()  # the response has gone out: what waited for it runs now
    return work


def test_a_reset_for_a_known_and_an_unknown_address_does_the_same_work(app, client):
    factories.user(email="known@example.be")
    db.session.commit()
    db.session.remove()
    known = _ask_reset(app, client, "known@example.be")
    unknown = _ask_reset(app, client, "nobody@example.be")
    assert any(s.startswith("INSERT INTO deliveries") for s in known.statements)
    assert unknown.statements == known.statements
    assert unknown.commits == known.commits >= 1
    # Afterwards: one e-mail, to the account; no trace of the unknown address.
    assert [m["To"] for m in outbox()] == ["known@example.be"]
    db.session.expire_all()
    assert db.session.scalars(db.select(Delivery.recipient)).all() == ["known@example.be"]


def test_a_reset_link_waiting_in_the_outbox_is_not_stored_in_clear(app, client):
    """The mail server is down: the reset e-mail waits in the outbox. Its stored text holds
    neither the link nor its token; once the server is back it goes out and the link works."""
    factories.user(email="known@example.be")
    db.session.commit()
    app.config["MAIL_URL"] = "smtp://127.0.0.1:9"  # nothing listens there
    try:
        _ask_reset(app, client, "known@example.be")
    finally:
        app.config["MAIL_URL"] = None
    [raw] = db.session.execute(text("SELECT message FROM deliveries")).scalars().all()
    raw = bytes(raw)
    for clear in (b"reset-password", b"portal.test", b"known@example.be", b"Reset"):
        assert clear not in raw
    assert "delivered 1; 0 still waiting" in app.test_cli_runner().invoke(
        args=["deliveries", "sweep", "--all"]).output
    [message] = outbox()
    link = re.search(r"http://portal\.test(/reset-password/\S+)",
                     message.get_body(preferencelist=("plain",)).get_content()).group(1)
    assert client.get(link, follow_redirects=True).status_code == 200
