"""Migration 0008: the person-account links move from users.person_id to persons.user_id
and back again, on whichever database the suite runs (SQLite, or TEST_DATABASE_URL)."""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal import create_app
from portal.extensions import db
from tests.conftest import _fresh_database, make_test_config

BEFORE, AFTER = "0007_audit_append_only", "0008_person_user"
NOW = "2026-11-30 03:00:00"


def _person(conn, n: int) -> None:
    conn.execute(text(
        "INSERT INTO persons (id, nn_hash, last_name, first_names, birth_date, sex, street,"
        " house_number, box, postcode, municipality, region, language, created_at, updated_at)"
        " VALUES (:id, :hash, 'Peeters', 'Lotte', '2008-03-14', 'F', 'Veldstraat', '1', '',"
        " '9000', 'Gent', 'flanders', 'nl', :now, :now)"), {"id": n, "hash": f"h{n}", "now": NOW})


def _user(conn, n: int, person_id: int | None) -> None:
    conn.execute(text(
        "INSERT INTO users (id, email, role, language, first_name, last_name, active,"
        " session_token, person_id, created_at, updated_at)"
        " VALUES (:id, :email, 'citizen', 'nl', 'A', 'B', :active, :token, :person, :now, :now)"),
        {"id": n, "email": f"u{n}@example.be", "active": True, "token": f"t{n}",
         "person": person_id, "now": NOW})


def test_the_links_move_to_persons_and_back(tmp_path_factory, tmp_path):
    url, drop = _fresh_database(tmp_path_factory)
    try:
        fresh = create_app(make_test_config(url, tmp_path))
        with fresh.app_context():
            upgrade(revision=BEFORE)
            with db.engine.begin() as conn:
                for n in (1, 2, 3):
                    _person(conn, n)
                _user(conn, 10, 1)
                _user(conn, 11, 3)
                _user(conn, 12, None)

            upgrade(revision=AFTER)
            assert "person_id" not in {c["name"] for c in inspect(db.engine).get_columns("users")}
            with db.engine.connect() as conn:
                links = dict(conn.execute(text("SELECT id, user_id FROM persons")).all())
            assert links == {1: 10, 2: None, 3: 11}

            downgrade(revision=BEFORE)
            assert "user_id" not in {c["name"] for c in inspect(db.engine).get_columns("persons")}
            with db.engine.connect() as conn:
                back = dict(conn.execute(text("SELECT id, person_id FROM users")).all())
            assert back == {10: 1, 11: 3, 12: None}
            db.engine.dispose()
    finally:
        drop()
