"""the optional question about background: a parent's higher education

Revision ID: 0050_background
Revises: 0049_employer_kinds
Create Date: 2026-12-06 03:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0050_background"
down_revision = "0049_employer_kinds"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "background_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("parents_higher_education", sa.String(10), nullable=False),
        sa.Column("created_at", portal.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.models.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id"),
    )


def downgrade():
    op.drop_table("background_answers")
