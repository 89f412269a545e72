"""The portal in a database outage: a friendly translated 503, /healthz says why, and it
recovers by itself. Runs against a PostgreSQL server of its own, which it stops."""
from __future__ import annotations

import pytest
from flask_migrate import upgrade

from portal import create_app
from portal.accounts.models import User
from portal.extensions import db
from tests.conftest import make_test_config
from tests.support import factories
from tests.support.client import session_key
from tests.support.own_services import own_postgres


@pytest.fixture
def outage_app(tmp_path):
    with own_postgres() as server:
        app = create_app({**make_test_config(server.url, tmp_path),
                          # A pool without pre-ping would keep handing out dead connections.
                          "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True,
                                                        "pool_size": 2}})
        with app.app_context():
            upgrade()
        yield app, server
        with app.app_context():
            db.engine.dispose()


def test_a_stopped_database_gives_a_translated_503_and_the_portal_recovers(outage_app):
    app, server = outage_app
    client = app.test_client()
    with app.app_context():
        user = factories.user("citizen", language="fr")
        db.session.commit()
        token, email = session_key(user), user.email
        db.session.remove()
    with client.session_transaction() as session:
        session["_user_id"] = token
    client.set_cookie("lang", "fr")
    assert client.get("/account").status_code == 200
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}
    token_html = client.get("/account").get_data(as_text=True)
    csrf = token_html.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]

    server.stop()
    page = client.get("/account")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    html = page.get_data(as_text=True)
    assert "indisponible" in html  # French: the visitor's language without the database
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["status"] == "unavailable"
    assert health.json["database"].startswith("unreachable: OperationalError")
    # A write attempted during the outage leaves nothing behind.
    saved = client.post("/account", data={"csrf_token": csrf, "first_name": "Changed",
                                          "last_name": "During outage", "language": "fr"})
    assert saved.status_code == 503

    server.start()
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}
    assert client.get("/account").status_code == 200
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        assert user.email == email and user.last_name != "During outage"
