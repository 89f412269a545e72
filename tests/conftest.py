"""Fixtures: an app on a fresh database (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""
from __future__ import annotations

import os
import secrets

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db, limiter
from tests.support import client as support_client
from tests.support import factories

IN_CI = os.environ.get("CI") == "true"
TEST_HEALTH_KEY = "ZGllbnN0amFhci10ZXN0cy1ub3QtcHJvZHVjdGlvbiE="  # tests only
TEST_TOTP_KEY = "ZGllbnN0amFhci10b3RwLXRlc3RzLW5vdC1wcm9kISE="  # tests only
TEST_OUTBOX_KEY = "ZGllbnN0amFhci1vdXRib3gtdGVzdHMtbm90LXByb2Q="  # tests only


def _fresh_database(tmp_path_factory) -> tuple[str, callable]:
    """A URL of an empty database of its own, and a function that drops it."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        path = tmp_path_factory.mktemp("db") / "portal.sqlite3"
        return f"sqlite:///{path}", lambda: None
    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database}_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def make_test_config(database_url: str, tmp_path) -> dict:
    return {
        "ENV_NAME": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        # A fixed, public, non-production key: the tests' health answers are made up.
        "HEALTH_DATA_KEYS": TEST_HEALTH_KEY,
        # The same for the staff's made-up two-step secrets: a ring of its own.
        "TOTP_KEYS": TEST_TOTP_KEY,
        "OUTBOX_KEYS": TEST_OUTBOX_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Letter layouts, runs and keys of this session's own: never another session's.
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "MAIL_DIR": str(tmp_path / "mail"),
        "MAIL_URL": None,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "BASE_URL": "http://portal.test",
        "JOBS_INLINE": True,
        "LETTER_WORKERS": 1,
        "RESERVE_PROOF_DIR": str(tmp_path / "reserve-proofs"),
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url, drop = _fresh_database(tmp_path_factory)
    yield url
    drop()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """One app for the session; its schema is built by the migrations, as in production."""
    from flask_migrate import upgrade

    app = create_app(make_test_config(database_url, tmp_path_factory.mktemp("app")))

    @app.before_request
    def _forget_previous_request():
        # Tests hold one app context, which every test-client request reuses, and with it
        # `g`: without this, Flask-Login's user, Flask-Babel's locale and Flask-WTF's CSRF
        # token of the previous request would carry over (a logged-out cookie would seem
        # to still work).
        from flask import g

        for name in ("_login_user", "_flask_babel", "csrf_token"):
            g.pop(name, None)

    with app.app_context():
        upgrade()
        # Fresh connections afterwards, as a new process would have: a migration may leave
        # SQLite's foreign-key enforcement off on the connection it ran on.
        db.engine.dispose()
    yield app
    with app.app_context():
        db.engine.dispose()


_EMPTYING: dict[str, str] = {}


def _postgresql_emptying(conn) -> str:
    """One script that empties every table and restarts every id sequence.

    DELETE of a handful of rows is some twenty times faster than a TRUNCATE of sixty
    tables; only the audit trail, whose trigger refuses DELETE, is truncated."""
    url = str(conn.engine.url)
    if url not in _EMPTYING:
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        sequences = conn.execute(text(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) "
            "FROM pg_sequences WHERE schemaname = current_schema()")).scalars().all()
        _EMPTYING[url] = "; ".join(
            ['TRUNCATE "audit_events"']
            + [f'DELETE FROM "{t}"' for t in tables if t != "audit_events"]
            + [f"ALTER SEQUENCE {s} RESTART" for s in sequences])
    return _EMPTYING[url]


@pytest.fixture(autouse=True)
def _clean(request):
    """Every test starts from empty tables, an empty throttle, an empty mailbox and the
    app's own settings (a setting a test changed, such as the portal's day, goes back)."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    settings = dict(app.config)
    with app.app_context():
        yield
        app.config.clear()
        app.config.update(settings)
        db.session.remove()
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(_postgresql_emptying(conn)))
            else:
                for t in reversed(db.metadata.sorted_tables):
                    conn.execute(text(f'DELETE FROM "{t.name}"'))
        limiter.reset()
        mail_dir = app.config["MAIL_DIR"]
        if os.path.isdir(mail_dir):
            for name in os.listdir(mail_dir):
                os.remove(os.path.join(mail_dir, name))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(client):
    """login_as("recruiter") -> a new user of that role, signed in on `client`."""

    def login(role_or_user="citizen", **kwargs):
        user = role_or_user
        if isinstance(role_or_user, str):
            user = factories.user(role=role_or_user, **kwargs)
            db.session.commit()
        support_client.login(client, user)
        return user

    return login
