"""Migration 0032 encrypts the two-step verification secrets stored in clear, and its
downgrade puts them back, on SQLite and (with TEST_DATABASE_URL) on PostgreSQL; the rows
that point at the users survive SQLite's rebuild of the table."""
from __future__ import annotations

from datetime import UTC, datetime

import pyotp
from cryptography.fernet import Fernet
from sqlalchemy import text

from portal import create_app
from portal.accounts import second_factor
from portal.accounts.models import User, UserSession
from portal.extensions import db
from tests.conftest import TEST_TOTP_KEY, _fresh_database, make_test_config

BEFORE = "0031_pending_letters"


def _secrets(conn) -> list[tuple[str, str | None]]:
    return conn.execute(text("SELECT email, totp_secret FROM users ORDER BY email")).all()


def test_clear_secrets_are_encrypted_by_the_upgrade_and_restored_by_the_downgrade(
        tmp_path, tmp_path_factory):
    from flask_migrate import downgrade, upgrade

    url, drop = _fresh_database(tmp_path_factory)
    app = create_app(make_test_config(url, tmp_path))
    secret = pyotp.random_base32()
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    try:
        with app.app_context():
            upgrade(revision=BEFORE)
            with db.engine.begin() as conn:
                staff_id = conn.execute(User.__table__.insert().values(
                    email="a-recruiter@mil.be", role="recruiter", language="nl",
                    first_name="Rec", last_name="Ruiter", totp_secret=secret,
                    totp_enabled_at=now, totp_last_step=7)).inserted_primary_key[0]
                conn.execute(User.__table__.insert().values(
                    email="b-citizen@example.be", role="citizen", language="nl",
                    first_name="Cit", last_name="Izen"))
                conn.execute(UserSession.__table__.insert().values(
                    user_id=staff_id, key_hash="k" * 64, created_at=now, last_seen_at=now))
            # A fresh connection, with foreign keys enforced (an earlier migration may have
            # left them off on its own), as `flask db upgrade` in a new process has.
            db.engine.dispose()
            upgrade()
            with db.engine.connect() as conn:
                (_, token), citizen = _secrets(conn)
                sessions = conn.execute(text("SELECT count(*) FROM user_sessions")).scalar()
            assert citizen == ("b-citizen@example.be", None)
            assert secret not in token
            assert Fernet(TEST_TOTP_KEY).decrypt(token.encode()).decode() == secret
            assert sessions == 1  # not lost to ON DELETE CASCADE while `users` was rebuilt
            user = db.session.get(User, staff_id)
            assert second_factor.secret(user) == secret and user.totp_last_step == 7
            db.session.remove()
            db.engine.dispose()

            downgrade(revision=BEFORE)
            with db.engine.connect() as conn:
                assert _secrets(conn) == [("a-recruiter@mil.be", secret),
                                          ("b-citizen@example.be", None)]
                assert conn.execute(text("SELECT count(*) FROM user_sessions")).scalar() == 1
            db.engine.dispose()
    finally:
        drop()
