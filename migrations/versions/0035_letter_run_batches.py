"""letter run batches: each print batch's checksum and pages, and when it was put in place

Revision ID: 0035_letter_run_batches
Revises: 0034_staff_national_number
Create Date: 2026-12-05 08:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0035_letter_run_batches"
down_revision = "0034_staff_national_number"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "letter_run_batches",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("letters", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"],
                                name=op.f("fk_letter_run_batches_job_id_jobs")),
        sa.PrimaryKeyConstraint("job_id", "number", name=op.f("pk_letter_run_batches")),
    )


def downgrade():
    op.drop_table("letter_run_batches")
