"""failed logins per account; form drafts kept server-side, sealed

Revision ID: 0038_guesses_and_drafts
Revises: 0037_postal_addresses
Create Date: 2026-12-05 09:00:00

`account_guesses` counts failed logins per account name from any address (keyed digest
of the name), so guesses spread over many addresses are slowed. `form_drafts` holds what
was typed into a form whose session had expired, sealed under HEALTH_DATA_KEYS, instead
of the signed (readable) session cookie.
"""
import sqlalchemy as sa
from alembic import op


revision = "0038_guesses_and_drafts"
down_revision = "0037_postal_addresses"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "account_guesses",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True),
    )
    with op.batch_alter_table("account_guesses") as batch:
        batch.create_index("ix_account_guesses_last_failure_at", ["last_failure_at"])
    op.create_table(
        "form_drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("form_drafts") as batch:
        batch.create_index("ix_form_drafts_user_id", ["user_id"])
        batch.create_index("ix_form_drafts_created_at", ["created_at"])


def downgrade():
    op.drop_table("form_drafts")
    op.drop_table("account_guesses")
