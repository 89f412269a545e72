"""call-ups of the Reserve and the reservists' answers

Revision ID: 0045_callups
Revises: 0044_outreach
Create Date: 2026-12-05 14:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0045_callups"
down_revision = "0044_outreach"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reserve_call_ups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(160), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("answer_by", sa.Date(), nullable=False),
        sa.Column("unit_ids", sa.Text(), nullable=False),
        sa.Column("pillars", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", portal.models.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "reserve_call_up_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("call_up_id", sa.Integer(), sa.ForeignKey("reserve_call_ups.id"),
                  nullable=False),
        sa.Column("engagement_id", sa.Integer(), sa.ForeignKey("reserve_engagements.id"),
                  nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("answered_at", portal.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("assignment_id", sa.Integer(), sa.ForeignKey("training_assignments.id"),
                  nullable=True),
        sa.UniqueConstraint("call_up_id", "engagement_id"),
    )
    op.create_index("ix_reserve_call_up_answers_call_up_id", "reserve_call_up_answers",
                    ["call_up_id"])
    op.create_index("ix_reserve_call_up_answers_user_id", "reserve_call_up_answers",
                    ["user_id"])


def downgrade():
    op.drop_table("reserve_call_up_answers")
    op.drop_table("reserve_call_ups")
