"""Password guessing spread over many network addresses: past a ceiling of failures per
account (from anywhere), each further try must wait longer, up to a bound (slowed, never
locked); the page says how long; the owner is told once by e-mail. An address without an
account is slowed alike (nothing tells them apart) and nobody is mailed."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from portal.extensions import db
from tests.support import factories
from tests.support.client import csrf_token
from tests.support.mail import outbox, text_of


def _try(client, email: str, password: str, address: str):
    client.set_cookie("lang", "en")
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": email,
                                           "password": password},
                           environ_base={"REMOTE_ADDR": address})
    response.close()  # the response has gone out: an alert waiting for it goes now
    return response


def _rewind(seconds: int) -> None:
    """As if the last failure happened `seconds` earlier."""
    from portal.accounts.models import AccountGuesses

    for row in db.session.scalars(db.select(AccountGuesses)):
        row.last_failure_at -= timedelta(seconds=seconds)
    db.session.commit()


def test_guessing_from_many_addresses_is_slowed_per_account_and_the_owner_told_once(
        app, client):
    free = app.config.get("LOGIN_ACCOUNT_FREE_FAILURES", 10)
    first = app.config.get("LOGIN_ACCOUNT_DELAY_SECONDS", 30)
    factories.user(email="owner@example.be", language="en")
    db.session.commit()
    for n in range(free):  # each from another address: the per-address limits never bite
        assert _try(client, "owner@example.be", f"guess {n}", f"10.0.0.{n}").status_code == 200
    [alert] = [m for m in outbox() if m["To"] == "owner@example.be"]
    assert "wrong passwords" in text_of(alert)

    # The owner (or anyone) with the right password now waits: slowed, and told how long.
    refused = _try(client, "owner@example.be", factories.PASSWORD, "192.0.2.1")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Too many wrong passwords were tried for this account" in page
    assert f"{first} seconds" in page

    _rewind(first)  # the wait is over: one more wrong guess, and the next wait doubles
    assert _try(client, "owner@example.be", "guess again", "10.0.1.1").status_code == 200
    again = _try(client, "owner@example.be", factories.PASSWORD, "192.0.2.1")
    assert again.status_code == 429 and "1 minute" in again.get_data(as_text=True)
    assert len([m for m in outbox() if m["To"] == "owner@example.be"]) == 1  # told once

    _rewind(2 * first)  # not locked: after the wait the right password signs in
    assert _try(client, "owner@example.be", factories.PASSWORD, "192.0.2.1").status_code == 302
    assert db.session.execute(text("SELECT count(*) FROM account_guesses")).scalar() == 0


def test_the_wait_stays_under_its_bound(app, client):
    bound = app.config.get("LOGIN_ACCOUNT_MAX_DELAY_SECONDS", 900)
    factories.user(email="owner@example.be", language="en")
    db.session.commit()
    for n in range(app.config.get("LOGIN_ACCOUNT_FREE_FAILURES", 10) + 12):
        _rewind(bound)
        _try(client, "owner@example.be", f"guess {n}", f"10.0.{n}.1")
    refused = _try(client, "owner@example.be", factories.PASSWORD, "192.0.2.1")
    assert refused.status_code == 429
    assert f"{bound // 60} minutes" in refused.get_data(as_text=True)


def test_an_address_without_an_account_is_slowed_alike_and_nobody_is_mailed(app, client):
    for n in range(app.config.get("LOGIN_ACCOUNT_FREE_FAILURES", 10)):
        _try(client, "nobody@example.be", f"guess {n}", f"10.0.0.{n}")
    refused = _try(client, "nobody@example.be", "whatever", "192.0.2.1")
    assert refused.status_code == 429
    assert "Too many wrong passwords were tried for this account" in \
        refused.get_data(as_text=True)
    assert outbox() == []
