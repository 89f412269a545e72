"""adjustments a candidate asks for on the selection day (encrypted)

Revision ID: 0047_adjustments
Revises: 0046_interests
Create Date: 2026-12-05 22:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0047_adjustments"
down_revision = "0046_interests"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "selection_adjustments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"),
                  nullable=False),
        sa.Column("kinds", sa.String(100), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", portal.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.models.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("application_id"),
    )


def downgrade():
    op.drop_table("selection_adjustments")
