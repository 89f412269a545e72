"""Migration 0026 encrypts the health answers already stored in clear, and its downgrade
puts them back, on SQLite and (with TEST_DATABASE_URL) on PostgreSQL."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import text

from portal import create_app
from portal.accounts.models import User
from portal.applications import answers
from portal.applications.models import Application, Intake
from portal.extensions import db
from tests.conftest import _fresh_database, make_test_config

HEALTH = {"chronic_condition": "yes", "medication": "no"}


def test_plaintext_health_answers_are_encrypted_by_the_upgrade_and_restored_by_downgrade(
        tmp_path, tmp_path_factory):
    from flask_migrate import downgrade, upgrade

    url, drop = _fresh_database(tmp_path_factory)
    app = create_app(make_test_config(url, tmp_path))
    try:
        with app.app_context():
            upgrade(revision="0025_application_cascades")
            with db.engine.begin() as conn:
                intake_id = conn.execute(Intake.__table__.insert().values(
                    name="Migration intake", applications_open=date(2026, 1, 1),
                    applications_close=date(2026, 2, 1), start_date=date(2026, 9, 1),
                    quota_total=10)).inserted_primary_key[0]
                for n, stored in enumerate(({"personal": {"first_name": "Mig"}, "health": HEALTH},
                                            {"personal": {"first_name": "Without"}})):
                    user_id = conn.execute(User.__table__.insert().values(
                        email=f"migrated{n}@example.be", role="citizen", language="nl",
                        first_name="Mig", last_name="Rated")).inserted_primary_key[0]
                    conn.execute(Application.__table__.insert().values(
                        reference=f"DJ-MIG-{n}", intake_id=intake_id, user_id=user_id,
                        status="submitted", answers=json.dumps(stored)))
            upgrade()
            with db.engine.connect() as conn:
                rows = conn.execute(text("SELECT answers, health_answers FROM applications "
                                         "ORDER BY reference")).all()
            assert json.loads(rows[0][0]) == {"personal": {"first_name": "Mig"}}
            assert "chronic_condition" not in rows[0][1]
            assert rows[1] == (json.dumps({"personal": {"first_name": "Without"}}), None)
            application = db.session.scalar(db.select(Application).where(
                Application.reference == "DJ-MIG-0"))
            assert answers.own(application)["health"] == HEALTH
            db.session.remove()

            downgrade(revision="0025_application_cascades")
            with db.engine.connect() as conn:
                restored = conn.execute(text(
                    "SELECT answers FROM applications WHERE reference = 'DJ-MIG-0'")).scalar()
            assert json.loads(restored) == {"personal": {"first_name": "Mig"}, "health": HEALTH}
            db.engine.dispose()
    finally:
        drop()
