"""staff two-step verification secrets encrypted at rest

Revision ID: 0032_totp_encrypted
Revises: 0031_pending_letters
Create Date: 2026-11-30 10:00:00

`users.totp_secret` held the base32 secret in clear: a database dump and a password were
enough to produce codes. It now holds a Fernet token under the first key of TOTP_KEYS
(a key ring of its own, portal/keyring.py), too long for the old VARCHAR(64): the column
becomes TEXT. Downgrade decrypts the secrets and narrows the column again
(tests/accounts/test_totp_migration.py, on SQLite and PostgreSQL).
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

from portal.keyring import fernet_for

revision = "0032_totp_encrypted"
down_revision = "0031_pending_letters"
branch_labels = None
depends_on = None

BATCH = 1000

users = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.Text))


def _convert(change) -> None:
    """Apply `change` (bytes -> bytes) to every stored secret, in batches by id."""
    conn = op.get_bind()
    fernet = fernet_for(current_app.config["TOTP_KEYS"], "TOTP_KEYS")
    last = 0
    while True:
        rows = conn.execute(
            sa.select(users.c.id, users.c.totp_secret)
            .where(users.c.totp_secret.is_not(None), users.c.id > last)
            .order_by(users.c.id).limit(BATCH)).all()
        if not rows:
            return
        for id_, value in rows:
            conn.execute(users.update().where(users.c.id == id_).values(
                totp_secret=change(fernet, value.encode()).decode("ascii")))
        last = rows[-1][0]


def _retype(old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> None:
    """SQLite rebuilds `users` to change a column's type (copy, drop, rename): the tables
    that point at it must not stop that, nor lose their rows to ON DELETE CASCADE. The
    pragma only takes effect outside a transaction, hence the autocommit block; once back
    on, every reference is checked."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        with op.batch_alter_table("users") as batch_op:
            batch_op.alter_column("totp_secret", existing_type=old, type_=new)
        return
    with op.get_context().autocommit_block():
        op.execute("PRAGMA foreign_keys=OFF")
        try:
            with op.batch_alter_table("users") as batch_op:
                batch_op.alter_column("totp_secret", existing_type=old, type_=new)
        finally:
            op.execute("PRAGMA foreign_keys=ON")
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")


def upgrade():
    _retype(sa.String(length=64), sa.Text())
    _convert(lambda fernet, clear: fernet.encrypt(clear))


def downgrade():
    _convert(lambda fernet, token: fernet.decrypt(token))
    _retype(sa.Text(), sa.String(length=64))
