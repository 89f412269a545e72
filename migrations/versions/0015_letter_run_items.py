"""letter run items: a run's recipients fixed in print order when it starts

Revision ID: 0015_letter_run_items
Revises: 0014_notifications
Create Date: 2026-11-30 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015_letter_run_items"
down_revision = "0014_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "letter_run_items",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("failure", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"],
                                name=op.f("fk_letter_run_items_job_id_jobs")),
        sa.ForeignKeyConstraint(["letter_id"], ["letters.id"],
                                name=op.f("fk_letter_run_items_letter_id_letters")),
        sa.PrimaryKeyConstraint("job_id", "position", name=op.f("pk_letter_run_items")),
    )
    with op.batch_alter_table("letter_run_items", schema=None) as batch_op:
        batch_op.create_index("ix_letter_run_items_job_batch", ["job_id", "batch"], unique=False)


def downgrade():
    with op.batch_alter_table("letter_run_items", schema=None) as batch_op:
        batch_op.drop_index("ix_letter_run_items_job_batch")
    op.drop_table("letter_run_items")
