"""staff records carry a national register number (keyed hash) for the federal login

Revision ID: 0034_staff_national_number
Revises: 0033_employer_contacts
Create Date: 2026-12-05 08:30:00

A staff member could link any federal identity to their account from a session that had
only passed its password, and a federal login then counted as the second factor. A federal
identity now reaches a staff account only when its national register number matches the one
an administrator recorded on the staff record. Federal identities linked to staff accounts
before (none of which could have been checked) are unlinked: their holders link again once
their number is recorded.
"""
import sqlalchemy as sa
from alembic import op

revision = "0034_staff_national_number"
down_revision = "0033_employer_contacts"
branch_labels = None
depends_on = None

STAFF_ROLES = ("recruiter", "admin", "medical_staff", "unit_staff", "employer")


def _alter_users(change) -> None:
    """SQLite may rebuild `users` (copy, drop, rename): the tables that point at it must not
    lose their rows to ON DELETE CASCADE (login sessions). The pragma only takes effect
    outside a transaction; once back on, every reference is checked."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        with op.batch_alter_table("users") as batch:
            change(batch)
        return
    with op.get_context().autocommit_block():
        op.execute("PRAGMA foreign_keys=OFF")
        try:
            with op.batch_alter_table("users") as batch:
                change(batch)
        finally:
            op.execute("PRAGMA foreign_keys=ON")
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")


def upgrade():
    _alter_users(lambda batch: batch.add_column(
        sa.Column("nn_hash", sa.String(length=64), nullable=True)))
    users = sa.table("users", sa.column("role", sa.String), sa.column("fas_subject", sa.String))
    op.execute(users.update().where(users.c.role.in_(STAFF_ROLES))
               .values(fas_subject=None))


def downgrade():
    _alter_users(lambda batch: batch.drop_column("nn_hash"))
