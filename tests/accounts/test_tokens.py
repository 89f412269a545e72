"""E-mailed links are signed, expire, and work only once."""
from __future__ import annotations

import time

from itsdangerous import TimestampSigner

from portal.accounts import services, tokens
from portal.extensions import db
from tests.support import factories
from tests.support.client import post_form
from tests.support.mail import last_mail_to, links_in, path_of


class _DayOldSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 25 * 3600


def _old_token(purpose, user) -> str:
    return tokens.serializer(purpose, signer=_DayOldSigner).dumps(tokens.payload(purpose, user))


def test_a_verification_link_works_once(client):
    user = factories.user(verified=False)
    db.session.commit()
    services.send_verification(user)
    [link] = [path_of(u) for u in links_in(last_mail_to(user.email)) if "/verify-email/" in u]
    assert client.get(link).status_code == 302
    response = client.get(link)
    assert response.status_code == 400
    assert "Deze link werkt niet meer" in response.text


def test_an_expired_verification_link_is_refused_and_verifies_nothing(client):
    user = factories.user(verified=False)
    db.session.commit()
    response = client.get(f"/verify-email/{_old_token(tokens.VERIFY, user)}")
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.email_verified_at is None


def test_a_verification_link_for_a_previous_address_no_longer_works(client):
    user = factories.user(verified=False)
    token = tokens.make(tokens.VERIFY, user)
    user.email = "new.address@example.be"
    db.session.commit()
    assert client.get(f"/verify-email/{token}").status_code == 400


def test_a_reset_link_works_once_and_older_links_die_with_it(client):
    user = factories.user()
    db.session.commit()
    services.send_password_reset(user.email)
    db.session.commit()  # the mail waits in the outbox for the commit
    [first] = [path_of(u) for u in links_in(last_mail_to(user.email)) if "/reset-password/" in u]
    client.get(first)
    new = "a brand new passphrase"
    response = post_form(client, "/reset-password", {"password": new, "confirm": new})
    assert response.status_code == 302
    replay = client.get(first, follow_redirects=True)
    assert replay.status_code == 400 and "Deze link werkt niet meer" in replay.text


def test_every_reset_link_sent_before_a_reset_stops_working(client):
    user = factories.user()
    older = tokens.make(tokens.RESET, user)
    newer = tokens.make(tokens.RESET, user)
    db.session.commit()
    client.get(f"/reset-password/{newer}")
    post_form(client, "/reset-password",
              {"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert client.get(f"/reset-password/{older}", follow_redirects=True).status_code == 400


def test_an_expired_reset_link_shows_the_page_to_ask_a_new_one(client):
    user = factories.user()
    db.session.commit()
    response = client.get(f"/reset-password/{_old_token(tokens.RESET, user)}",
                          follow_redirects=True)
    assert response.status_code == 400
    assert "/forgot-password" in response.text


def test_forged_and_cross_purpose_tokens_are_refused(client):
    user = factories.user(verified=False)
    db.session.commit()
    verify = tokens.make(tokens.VERIFY, user)
    assert tokens.load(tokens.RESET, verify) is None
    assert tokens.load(tokens.VERIFY, verify[:-2] + "xx") is None
    assert client.get("/reset-password/not-a-token", follow_redirects=True).status_code == 400


def test_the_token_does_not_reveal_the_password_hash(app):
    user = factories.user()
    token = tokens.make(tokens.RESET, user)
    data = tokens.serializer(tokens.RESET).loads(token)
    assert set(data) == {"u", "f"} and user.password_hash not in token
    assert "argon2" not in str(data)


def test_a_deactivated_account_cannot_use_its_reset_link(client):
    user = factories.user()
    token = tokens.make(tokens.RESET, user)
    user.active = False
    db.session.commit()
    assert client.get(f"/reset-password/{token}", follow_redirects=True).status_code == 400
