"""letters rendered after the commit of the move that issues them

Revision ID: 0031_pending_letters
Revises: 0030_selection_day_hours
Create Date: 2026-11-30 09:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0031_pending_letters"
down_revision = "0030_selection_day_hours"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pending_letters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False, unique=True),
        sa.Column("maker", sa.String(120), nullable=False),
        sa.Column("subject_type", sa.String(40), nullable=True),
        sa.Column("subject_id", sa.String(64), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_pending_letters_user_id", "pending_letters", ["user_id"])
    op.create_index("ix_pending_letters_person_id", "pending_letters", ["person_id"])


def downgrade():
    op.drop_index("ix_pending_letters_person_id", "pending_letters")
    op.drop_index("ix_pending_letters_user_id", "pending_letters")
    op.drop_table("pending_letters")
