"""security screening of applications: the request to the vetting authority and its outcome

Revision ID: 0048_screening
Revises: 0047_adjustments
Create Date: 2026-12-06 03:00:00
"""
import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0048_screening"
down_revision = "0047_adjustments"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "security_screenings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(),
                  sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("requested_at", portal.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_outcome", sa.String(12), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("recorded_at", portal.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("outcome", sa.String(12), nullable=True),
        sa.Column("concluded_at", portal.models.UTCDateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("security_screenings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_security_screenings_application_id"),
                              ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_security_screenings_concluded_at"),
                              ["concluded_at"], unique=False)
        batch_op.create_index("uq_security_screenings_open_per_application",
                              ["application_id"], unique=True,
                              sqlite_where=sa.text("concluded_at IS NULL"),
                              postgresql_where=sa.text("concluded_at IS NULL"))


def downgrade():
    with op.batch_alter_table("security_screenings", schema=None) as batch_op:
        batch_op.drop_index("uq_security_screenings_open_per_application",
                            sqlite_where=sa.text("concluded_at IS NULL"),
                            postgresql_where=sa.text("concluded_at IS NULL"))
        batch_op.drop_index(batch_op.f("ix_security_screenings_concluded_at"))
        batch_op.drop_index(batch_op.f("ix_security_screenings_application_id"))
    op.drop_table("security_screenings")
