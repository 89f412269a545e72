"""health answers apart and encrypted; the medical test's reason; no score for it

Revision ID: 0026_health_encrypted
Revises: 0025_application_cascades
Create Date: 2026-11-30 06:00:00

The health step's answers leave the `answers` JSON for `applications.health_answers`,
encrypted with the first key of HEALTH_DATA_KEYS. Medical staff record the medical test
as fit or unfit with a reason (`test_results.medical_reason`, encrypted) and no score.
Downgrade puts the answers back in clear; the reasons are lost, scores become 0.
"""
import json

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import MultiFernet
from flask import current_app

from portal.keyring import fernet_for

revision = "0026_health_encrypted"
down_revision = "0025_application_cascades"
branch_labels = None
depends_on = None

HEALTH_STEP = "health"
BATCH = 1000

applications = sa.table("applications", sa.column("id", sa.Integer),
                        sa.column("answers", sa.Text), sa.column("health_answers", sa.Text))


def _fernet() -> MultiFernet:
    return fernet_for(current_app.config["HEALTH_DATA_KEYS"], "HEALTH_DATA_KEYS")


def _batches(conn, where):
    last = 0
    while True:
        rows = conn.execute(
            sa.select(applications.c.id, applications.c.answers, applications.c.health_answers)
            .where(where, applications.c.id > last).order_by(applications.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def upgrade():
    with op.batch_alter_table("applications") as batch_op:
        batch_op.add_column(sa.Column("health_answers", sa.Text(), nullable=True))
    with op.batch_alter_table("test_results") as batch_op:
        batch_op.add_column(sa.Column("medical_reason", sa.Text(), nullable=True))
        batch_op.alter_column("score", existing_type=sa.Numeric(5, 2), nullable=True)
    conn = op.get_bind()
    fernet = None
    for rows in _batches(conn, applications.c.answers.like(f'%"{HEALTH_STEP}"%')):
        fernet = fernet or _fernet()
        for id_, raw, _token in rows:
            try:
                data = json.loads(raw or "{}")
            except ValueError:
                continue
            if not isinstance(data, dict) or HEALTH_STEP not in data:
                continue
            health = data.pop(HEALTH_STEP)
            token = fernet.encrypt(json.dumps(health, sort_keys=True).encode()).decode() \
                if health else None
            conn.execute(applications.update().where(applications.c.id == id_).values(
                answers=json.dumps(data, sort_keys=True), health_answers=token))


def downgrade():
    conn = op.get_bind()
    fernet = None
    for rows in _batches(conn, applications.c.health_answers.is_not(None)):
        fernet = fernet or _fernet()
        for id_, raw, token in rows:
            try:
                data = json.loads(raw or "{}")
            except ValueError:
                data = {}
            data[HEALTH_STEP] = json.loads(fernet.decrypt(token.encode()).decode())
            conn.execute(applications.update().where(applications.c.id == id_).values(
                answers=json.dumps(data, sort_keys=True)))
    conn.execute(sa.text("UPDATE test_results SET score = 0 WHERE score IS NULL"))
    with op.batch_alter_table("test_results") as batch_op:
        batch_op.alter_column("score", existing_type=sa.Numeric(5, 2), nullable=False)
        batch_op.drop_column("medical_reason")
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_column("health_answers")
