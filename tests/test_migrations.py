"""The migrations build the schema the models describe, with a single head."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Config as _unused  # noqa: F401  (flask-migrate must be importable)

from portal.extensions import db, migrate


def test_migrations_have_a_single_head(app):
    config = migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, heads


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models differ from migrations: {diff}"


def test_migrations_build_and_remove_the_schema_on_a_fresh_sqlite_file(tmp_path):
    """Whatever database the suite runs on, the migrations also work on embedded SQLite."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from portal import create_app
    from tests.conftest import make_test_config

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    fresh = create_app(make_test_config(url, tmp_path))
    with fresh.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "audit_events", "applications"} <= tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
