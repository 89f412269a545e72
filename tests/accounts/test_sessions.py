"""Server-side sessions: a new one at each login, idle and absolute limits, the list on the
account page, "log out everywhere", and the production cookie."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts.models import UserSession
from portal.extensions import db
from portal.models import utcnow
from tests.support import factories
from tests.support.client import copy_session, post_form


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _login(client, user):
    return post_form(client, "/login", {"email": user.email, "password": factories.PASSWORD})


def _records(user):
    return db.session.scalars(db.select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.id)).all()


def test_login_starts_a_new_session_and_drops_what_the_cookie_held_before(app, client):
    user = factories.user(language="en")
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = "planted-by-someone-else"
        session["planted"] = "x"
    assert _login(client, user).status_code == 302
    with client.session_transaction() as session:
        key = session["_user_id"]
        assert "planted" not in session
    [record] = _records(user)
    assert key != "planted-by-someone-else"
    assert record.key_hash != key and key not in record.key_hash  # only a hash is stored
    assert client.get("/account").status_code == 200


def test_a_copied_cookie_stops_working_at_logout(app, client):
    user = factories.user(language="en")
    db.session.commit()
    _login(client, user)
    thief = app.test_client()
    copy_session(client, thief)
    assert thief.get("/account").status_code == 200
    post_form(client, "/logout", {}, page="/account")
    assert thief.get("/account").status_code == 302
    assert _records(user)[0].ended_at is not None


def test_a_session_ends_after_thirty_idle_minutes(client):
    user = factories.user(language="en")
    db.session.commit()
    _login(client, user)
    [record] = _records(user)
    record.last_seen_at = utcnow() - timedelta(minutes=29)
    db.session.commit()
    assert client.get("/account").status_code == 200  # still alive, and touched again
    db.session.refresh(record)
    assert utcnow() - record.last_seen_at < timedelta(minutes=1)
    record.last_seen_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.location
    db.session.refresh(record)
    assert record.ended_at is not None


def test_a_session_ends_twelve_hours_after_login_however_active(client):
    user = factories.user(language="en")
    db.session.commit()
    _login(client, user)
    [record] = _records(user)
    record.created_at = utcnow() - timedelta(hours=12, minutes=1)
    db.session.commit()
    assert client.get("/account").status_code == 302


def test_the_limits_are_settings(app, client):
    user = factories.user(language="en")
    db.session.commit()
    _login(client, user)
    [record] = _records(user)
    record.last_seen_at = utcnow() - timedelta(minutes=6)
    db.session.commit()
    app.config["SESSION_IDLE_MINUTES"] = 5
    try:
        assert client.get("/account").status_code == 302
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30


def test_the_account_page_lists_active_sessions_and_logs_out_everywhere(app, client):
    user = factories.user(language="en")
    db.session.commit()
    phone = app.test_client()
    post_form(phone, "/login", {"email": user.email, "password": factories.PASSWORD},
              headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
                                     "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"})
    _login(client, user)
    page = client.get("/account").get_data(as_text=True)
    assert "Where you are logged in" in page and "Chrome Mobile on Android" in page
    assert "this session" in page

    response = post_form(client, "/account/sessions/end-all", {}, page="/account")
    assert response.status_code == 302 and response.location.endswith("/login")
    assert "You are logged out on every device." in client.get("/login").get_data(as_text=True)
    assert phone.get("/account").status_code == 302
    assert client.get("/account").status_code == 302
    assert all(r.ended_at is not None for r in _records(user))


def test_disabling_an_account_ends_all_its_sessions(app, client, login_as):
    from portal.accounts import services

    user = factories.user(language="en")
    db.session.commit()
    _login(client, user)
    admin = factories.user(role="admin")
    db.session.commit()
    services.set_active(admin, user, False)
    db.session.commit()
    assert all(r.ended_at is not None for r in _records(user))
    assert client.get("/account").status_code == 302


def test_in_production_the_cookie_is_host_only_secure_httponly_and_lax(database_url, tmp_path):
    from portal import create_app
    from tests.conftest import make_test_config

    config = make_test_config(database_url, tmp_path)
    config.update(ENV_NAME="production", TESTING=True, SECRET_KEY="s" * 32)
    prod = create_app(config)
    with prod.app_context():
        user = factories.user(language="en")
        db.session.commit()
        client = prod.test_client()
        page = client.get("/login", base_url="https://portal.test").get_data(as_text=True)
        import re

        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        response = client.post("/login", base_url="https://portal.test", data={
            "csrf_token": token, "email": user.email, "password": factories.PASSWORD},
            headers={"Referer": "https://portal.test/login"})
        assert response.status_code == 302
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-session=")
        parts = {p.strip().split("=")[0].lower() for p in cookie.split(";")}
        assert {"secure", "httponly", "path"} <= parts and "domain" not in parts
        assert "SameSite=Lax" in cookie and "Path=/" in cookie
        db.session.remove()
        db.engine.dispose()
