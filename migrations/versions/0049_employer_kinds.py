"""the enterprise's bank account, public employers, part-time work, contested statement lines,
planning feeds, self-employed reservists

Revision ID: 0049_employer_kinds
Revises: 0048_screening
Create Date: 2026-12-06 02:40:00

An enterprise gives the IBAN Defence pays its compensation into; Defence marks public
employers (notified instead of signing). An agreement records the
reservist's working time (percent of full time) for pro rata compensation and leave. A
request to review a statement may name one line, keeps the amount it contested and the
amount Defence corrected it to. An enterprise's private planning address (hash only). A
self-employed reservist's enterprise number and account.
"""
import sqlalchemy as sa
from alembic import op

from portal.models import UTCDateTime

revision = "0049_employer_kinds"
down_revision = "0048_screening"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employers") as batch_op:
        batch_op.add_column(sa.Column("iban", sa.String(34), nullable=True))
        batch_op.add_column(sa.Column("is_public", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("agreements") as batch_op:
        batch_op.add_column(
            sa.Column("work_percent", sa.Integer(), nullable=False, server_default="100"))
    with op.batch_alter_table("employer_statement_reviews") as batch_op:
        batch_op.add_column(sa.Column("line_reservist_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("amount_cents", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("corrected_cents", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_employer_statement_reviews_line_reservist_id_users", "users",
            ["line_reservist_id"], ["id"])
    op.create_table(
        "employer_planning_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_fetched_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"],
                                name=op.f("fk_employer_planning_feeds_employer_id_employers")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_employer_planning_feeds_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_planning_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_employer_planning_feeds_token_hash")),
    )
    with op.batch_alter_table("employer_planning_feeds") as batch_op:
        batch_op.create_index(batch_op.f("ix_employer_planning_feeds_employer_id"),
                              ["employer_id"], unique=False)
    op.create_table(
        "employer_self_employment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reservist_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_number", sa.String(length=10), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["reservist_id"], ["users.id"],
                                name=op.f("fk_employer_self_employment_reservist_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_self_employment")),
        sa.UniqueConstraint("reservist_id",
                            name=op.f("uq_employer_self_employment_reservist_id")),
    )


def downgrade():
    op.drop_table("employer_self_employment")
    with op.batch_alter_table("employer_planning_feeds") as batch_op:
        batch_op.drop_index(batch_op.f("ix_employer_planning_feeds_employer_id"))
    op.drop_table("employer_planning_feeds")
    with op.batch_alter_table("employer_statement_reviews") as batch_op:
        batch_op.drop_constraint("fk_employer_statement_reviews_line_reservist_id_users",
                                 type_="foreignkey")
        batch_op.drop_column("corrected_cents")
        batch_op.drop_column("amount_cents")
        batch_op.drop_column("line_reservist_id")
    with op.batch_alter_table("agreements") as batch_op:
        batch_op.drop_column("work_percent")
    with op.batch_alter_table("employers") as batch_op:
        batch_op.drop_column("is_public")
        batch_op.drop_column("iban")
