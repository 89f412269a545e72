"""Erasure leaves no trace of the address or the devices: the outbox rows to the address
and the login sessions (network address, browser) go at once, not at the 30-day purge.
An account that signs in only through the federal login (no password) confirms its
erasure with a code sent to its address."""
from __future__ import annotations

import re

from portal.accounts.models import User, UserSession
from portal.extensions import db
from portal.models import utcnow
from portal.outbox import Delivery
from tests.support import factories
from tests.support.client import login, post_form
from tests.support.mail import last_mail_to, text_of


def _outbox_rows(email: str) -> list[Delivery]:
    db.session.expire_all()
    return db.session.scalars(db.select(Delivery).where(Delivery.recipient == email)).all()


def test_erasure_deletes_the_addresss_outbox_rows_and_the_sessions_at_once(client):
    user = factories.user(email="lien@example.be")
    db.session.add_all([
        Delivery(channel="email", recipient="lien@example.be", subject="Sent", message=None,
                 sent_at=utcnow(), attempts=1, last_error=""),
        Delivery(channel="email", recipient="lien@example.be", subject="Waiting",
                 message=b"x", attempts=1, last_error="ConnectionRefusedError"),
        Delivery(channel="email", recipient="someone.else@example.be", subject="Other",
                 message=None, sent_at=utcnow(), attempts=1, last_error="")])
    db.session.commit()
    user_id = user.id
    response = post_form(client, "/login", {"email": "lien@example.be",
                                            "password": factories.PASSWORD},
                         headers={"User-Agent": "Lien's phone"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(UserSession.user_agent).where(
        UserSession.user_id == user_id)) == "Lien's phone"

    response = post_form(client, "/account/erase",
                         {"current_password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert _outbox_rows("lien@example.be") == []
    assert [r.recipient for r in _outbox_rows("someone.else@example.be")] == [
        "someone.else@example.be"]
    assert db.session.scalars(db.select(UserSession).where(
        UserSession.user_id == user_id)).all() == []


def test_an_account_without_a_password_erases_itself_with_a_mailed_code(client):
    user = factories.user(email="federal@example.be", password=None, fas_subject="fas-1",
                          language="en")
    db.session.commit()
    user_id = user.id
    login(client, user)
    page = client.get("/account/erase").get_data(as_text=True)
    assert 'name="current_password"' not in page
    assert "Send me a confirmation code" in page

    sent = post_form(client, "/account/erase/code", {}, page="/account/erase",
                     follow_redirects=True)
    assert "We sent a confirmation code to federal@example.be" in sent.get_data(as_text=True)
    code = re.search(r"\b([A-Z2-9]{4}-[A-Z2-9]{4})\b",
                     text_of(last_mail_to("federal@example.be"))).group(1)

    wrong = post_form(client, "/account/erase", {"code": "AAAA-AAAA", "confirm": "y"})
    assert wrong.status_code == 400
    assert "This code is not right" in wrong.get_data(as_text=True)
    assert db.session.get(User, user_id).active

    done = post_form(client, "/account/erase", {"code": code.lower(), "confirm": "y"})
    assert done.status_code == 302 and done.headers["Location"] == "/account/erased"
    db.session.expire_all()
    assert not db.session.get(User, user_id).active

