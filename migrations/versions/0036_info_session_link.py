"""online information sessions: the link to join them

Revision ID: 0036_info_session_link
Revises: 0035_letter_run_batches
Create Date: 2026-12-05 09:00:00

The message that confirms a booking of an online session gives the link to join it.
"""
import sqlalchemy as sa
from alembic import op

revision = "0036_info_session_link"
down_revision = "0035_letter_run_batches"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("info_sessions") as batch:
        batch.add_column(sa.Column("join_url", sa.String(length=500), nullable=False,
                                   server_default=""))


def downgrade():
    with op.batch_alter_table("info_sessions") as batch:
        batch.drop_column("join_url")
