"""the interest questionnaire: how interested, fields, driving licence, languages

Revision ID: 0046_interests
Revises: 0045_callups
Create Date: 2026-12-05 21:30:00
"""
import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0046_interests"
down_revision = "0045_callups"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "interests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("functions", sa.String(200), nullable=False),
        sa.Column("driving_licence", sa.Boolean(), nullable=False),
        sa.Column("languages", sa.String(40), nullable=False),
        sa.Column("created_at", portal.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.models.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id"),
    )


def downgrade():
    op.drop_table("interests")
