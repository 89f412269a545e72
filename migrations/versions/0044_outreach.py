"""an invited person's answer without signing up: not interested or maybe later

Revision ID: 0044_outreach
Revises: 0043_reauth
Create Date: 2026-12-05 14:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0044_outreach"
down_revision = "0043_reauth"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.add_column(sa.Column("answer", sa.String(16), nullable=True))
        batch_op.add_column(sa.Column("answered_at",
                                      portal.models.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.drop_column("answered_at")
        batch_op.drop_column("answer")
