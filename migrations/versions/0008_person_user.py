"""the link between a register person and an account moves to persons.user_id

Revision ID: 0008_person_user
Revises: 0007_audit_append_only
Create Date: 2026-11-30 03:20:00

Accounts are the base domain and point at nothing; the register's person points at
the account it signed up as. Every existing link is copied across before the old
column goes, in both directions (tests/test_migration_person_user.py, on SQLite and
PostgreSQL).
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_person_user"
down_revision = "0007_audit_append_only"
branch_labels = None
depends_on = None


def upgrade():
    _foreign_keys("OFF")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_persons_user_id_users"), "users",
                                    ["user_id"], ["id"])
        batch_op.create_unique_constraint(batch_op.f("uq_persons_user_id"), ["user_id"])
    op.execute("""
        UPDATE persons SET user_id = (
            SELECT users.id FROM users WHERE users.person_id = persons.id)
        WHERE EXISTS (SELECT 1 FROM users WHERE users.person_id = persons.id)
    """)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_person_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_users_person_id_persons"), type_="foreignkey")
        batch_op.drop_column("person_id")
    _foreign_keys("ON")


def downgrade():
    _foreign_keys("OFF")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_users_person_id_persons"), "persons",
                                    ["person_id"], ["id"])
        batch_op.create_unique_constraint(batch_op.f("uq_users_person_id"), ["person_id"])
    op.execute("""
        UPDATE users SET person_id = (
            SELECT persons.id FROM persons WHERE persons.user_id = users.id)
        WHERE EXISTS (SELECT 1 FROM persons WHERE persons.user_id = users.id)
    """)
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_persons_user_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_persons_user_id_users"), type_="foreignkey")
        batch_op.drop_column("user_id")
    _foreign_keys("ON")


def _foreign_keys(state: str) -> None:
    """SQLite rebuilds a table to change its columns (drop, copy, rename): the tables that
    point at it must not stop that. Alembic runs each SQLite migration outside a
    transaction, where this pragma takes effect; once back on, every reference is checked."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    op.execute(f"PRAGMA foreign_keys={state}")
    if state == "ON":
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
