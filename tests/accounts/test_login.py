"""Login, logout and throttling: same answers for unknown and wrong, sessions that end."""
from __future__ import annotations

import re
import time
from datetime import timedelta

from argon2 import PasswordHasher

from portal.accounts.models import User
from portal.audit import AuditEvent
from portal.extensions import db
from tests.live import Client, serving
from tests.support import factories
from tests.support.client import csrf_token, give_second_factor, post_form
from tests.support.smtp import smtp_server

WRONG = "not the password at all"


def _login(client, email, password, addr="127.0.0.1", next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return post_form(client, url, {"email": email, "password": password}, page="/login",
                     environ_base={"REMOTE_ADDR": addr})


def _failures():
    return db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "accounts.login_failed")).all()


def test_unknown_email_and_wrong_password_get_the_same_answer(client):
    user = factories.user()
    db.session.commit()
    unknown = _login(client, "nobody@example.be", WRONG)
    wrong = _login(client, user.email, WRONG)
    assert unknown.status_code == wrong.status_code == 200
    message = "Het e-mailadres of het wachtwoord is niet juist."
    assert message in unknown.text and message in wrong.text
    assert 'value="nobody@example.be"' in unknown.text and WRONG not in unknown.text
    assert [f.details_dict["reason"] for f in _failures()] == ["unknown", "password"]
    assert all(WRONG not in f.details for f in _failures())


def test_login_lands_by_role_and_follows_only_local_next(client):
    citizen = factories.user()
    recruiter = factories.user(role="recruiter")
    db.session.commit()
    assert _login(client, citizen.email, factories.PASSWORD).location == "/my-application"
    post_form(client, "/logout", {}, page="/account")
    assert _login(client, recruiter.email, factories.PASSWORD).location == "/staff"
    give_second_factor(client, recruiter)
    post_form(client, "/logout", {}, page="/account")
    response = _login(client, citizen.email, factories.PASSWORD,
                      next_url="https://evil.example/phish")
    assert response.location == "/my-application"
    post_form(client, "/logout", {}, page="/account")
    response = _login(client, citizen.email, factories.PASSWORD, next_url="//evil.example/x")
    assert response.location == "/my-application"
    post_form(client, "/logout", {}, page="/account")
    response = _login(client, citizen.email, factories.PASSWORD, next_url="/%5Cevil.example")
    assert response.location == "/my-application"
    post_form(client, "/logout", {}, page="/account")
    response = _login(client, citizen.email, factories.PASSWORD, next_url="/account%3Fx%3D1")
    assert response.location == "/account?x=1"


def test_a_guarded_page_sends_to_login_and_back(client):
    user = factories.user()
    db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and "/login?next=" in response.location
    assert "Meld je aan om deze pagina te openen." in client.get(response.location).text
    token = csrf_token(client, response.location)
    response = client.post(response.location, data={
        "csrf_token": token, "email": user.email, "password": factories.PASSWORD})
    assert response.location == "/account"


def test_a_copied_session_cookie_stops_working_after_logout(app, client):
    user = factories.user()
    db.session.commit()
    _login(client, user.email, factories.PASSWORD)
    cookie = client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/account").status_code == 200
    post_form(client, "/logout", {}, page="/account")
    assert client.get("/account").status_code == 302
    assert thief.get("/account").status_code == 302


def test_logout_needs_a_post_with_a_csrf_token(client, login_as):
    login_as("citizen")
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 400
    assert "Je sessie is verlopen" in response.text
    assert client.get("/account").status_code == 200


def test_an_outdated_password_hash_is_upgraded_at_login(client):
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    user = factories.user(password=None)
    user.password_hash = weak.hash(factories.PASSWORD)
    db.session.commit()
    old_hash = user.password_hash
    assert _login(client, user.email, factories.PASSWORD).status_code == 302
    db.session.refresh(user)
    assert user.password_hash != old_hash and "m=19456,t=2,p=1" in user.password_hash
    assert user.last_login_at is not None


def test_the_password_hash_cost_follows_the_configuration(app, client):
    user = factories.user()
    db.session.commit()
    assert "m=19456,t=2,p=1" in user.password_hash
    app.config.update(PASSWORD_HASH_MEMORY_KIB=65536, PASSWORD_HASH_TIME_COST=3)
    try:
        assert _login(client, user.email, factories.PASSWORD).status_code == 302
        db.session.refresh(user)
        assert "m=65536,t=3,p=1" in user.password_hash
    finally:
        app.config.update(PASSWORD_HASH_MEMORY_KIB=19456, PASSWORD_HASH_TIME_COST=2)


def test_a_deactivated_account_cannot_log_in(client):
    user = factories.user(active=False)
    db.session.commit()
    response = _login(client, user.email, factories.PASSWORD)
    assert response.status_code == 200
    assert "Het e-mailadres of het wachtwoord is niet juist." in response.text


def test_the_session_follows_the_users_language_after_login(client):
    user = factories.user(language="de")
    db.session.commit()
    _login(client, user.email, factories.PASSWORD)
    assert "Mein Konto" in client.get("/account").text


def test_failures_from_other_addresses_slow_the_owner_but_never_keep_them_out(app, client):
    from portal.accounts.models import AccountGuesses

    user = factories.user()
    db.session.commit()
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    for n in range(free):
        assert _login(client, user.email, WRONG, addr=f"10.0.0.{n + 1}").status_code == 200
    # Past the ceiling per account every address waits, the owner's too (told how long)...
    assert _login(client, user.email, factories.PASSWORD, addr="10.0.0.99").status_code == 429
    # ...but only for a while: then the right password opens the account.
    for row in db.session.scalars(db.select(AccountGuesses)):
        row.last_failure_at -= timedelta(seconds=app.config["LOGIN_ACCOUNT_DELAY_SECONDS"])
    db.session.commit()
    response = _login(client, user.email.upper(), factories.PASSWORD, addr="10.0.0.99")
    assert response.status_code == 302
    assert db.session.scalar(db.select(User.last_login_at).where(User.id == user.id))


def test_one_address_guessing_one_account_is_stopped_before_any_hashing(client):
    user = factories.user()
    db.session.commit()
    for _ in range(5):
        assert _login(client, user.email, WRONG, addr="10.0.0.7").status_code == 200
    response = _login(client, user.email, factories.PASSWORD, addr="10.0.0.7")
    assert response.status_code == 429 and "Te veel pogingen" in response.text
    assert len(_failures()) == 5
    # The same account from another address is not affected.
    assert _login(client, user.email, factories.PASSWORD, addr="10.0.0.8").status_code == 302


def test_login_is_throttled_per_address_across_accounts(app, client):
    app.config["LOGIN_ADDRESS_LIMIT"] = "6 per 15 minutes"
    try:
        users = [factories.user() for _ in range(3)]
        db.session.commit()
        for user in users:
            for _ in range(2):
                assert _login(client, user.email, WRONG, addr="10.1.1.1").status_code == 200
        assert _login(client, users[0].email, factories.PASSWORD,
                      addr="10.1.1.1").status_code == 429
        # The accounts themselves are not locked: another address gets in.
        assert _login(client, users[0].email, factories.PASSWORD,
                      addr="10.2.2.2").status_code == 302
    finally:
        app.config["LOGIN_ADDRESS_LIMIT"] = "30 per 15 minutes"


def test_forgot_password_is_throttled_per_address_and_account_not_per_account(client):
    def ask(email, addr):
        return post_form(client, "/forgot-password", {"email": email},
                         environ_base={"REMOTE_ADDR": addr}).status_code

    for n in range(5):
        assert ask("victim@example.be", f"10.3.3.{n + 1}") == 302
    assert ask("victim@example.be", "10.3.3.99") == 302  # the owner still gets a link
    for _ in range(5):
        assert ask("victim@example.be", "10.4.4.4") == 302
    assert ask("victim@example.be", "10.4.4.4") == 429


def test_successful_logins_do_not_use_up_the_attempts_of_an_address(client):
    users = [factories.user() for _ in range(7)]
    db.session.commit()
    for user in users:
        assert _login(client, user.email, factories.PASSWORD, addr="10.4.4.4").status_code == 302
        post_form(client, "/logout", {}, page="/account")


def _timed_reset_request(live_client, email):
    start = time.perf_counter()
    status, headers, _html = live_client.post_form("/forgot-password", {"email": email})
    return time.perf_counter() - start, status, headers["Location"]


def test_password_reset_answers_alike_and_as_fast_for_known_and_unknown_addresses(app):
    """The reset mail leaves after the response: a slow mail server does not tell which
    addresses have an account."""
    factories.user(email="known@example.be")
    db.session.commit()
    with smtp_server(app, delay=1.5) as inbox, serving(app) as base:
        known = _timed_reset_request(Client(base), "known@example.be")
        unknown = _timed_reset_request(Client(base), "nobody@example.be")
        assert known[1:] == unknown[1:] == (302, "/forgot-password/sent")
        assert known[0] < 1.0 and unknown[0] < 1.0, (known, unknown)
        inbox.wait_for(1)
        assert [r.rcpt_tos for r in inbox.received] == [("known@example.be",)]


def test_a_mail_outage_looks_the_same_for_known_and_unknown_addresses(app, client):
    factories.user(email="known@example.be")
    db.session.commit()
    pages = []
    with smtp_server(app, started=False):
        for email in ("known@example.be", "nobody@example.be"):
            other = app.test_client()
            response = post_form(other, "/forgot-password", {"email": email})
            assert response.location.endswith("/forgot-password/sent")
            page = other.get(response.location).get_data(as_text=True)
            pages.append(re.sub(r'name="csrf_token"[^>]*>', "", page.replace(email, "EMAIL")))
    assert pages[0] == pages[1]
