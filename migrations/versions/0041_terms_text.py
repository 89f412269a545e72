"""the conditions' text version of agreement terms, the HR contact's language

Revision ID: 0041_terms_text
Revises: 0040_intake_names
Create Date: 2026-12-05 13:00:00

Agreement terms record which version of the conditions' full text they were proposed and
signed with (the terms written so far: the first version). A reservist naming an employer
says which language the HR contact reads. Requests to review a yearly compensation
statement, by the enterprise or a reservist on it, and their answers.
"""

import sqlalchemy as sa
from alembic import op

from portal.models import UTCDateTime

revision = "0041_terms_text"
down_revision = "0040_intake_names"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agreement_terms") as batch_op:
        batch_op.add_column(
            sa.Column("text_version", sa.String(20), nullable=False, server_default="2026-1")
        )
    with op.batch_alter_table("employer_nominations") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(5), nullable=True))
    op.create_table(
        "employer_statement_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "employer_id",
            sa.Integer(),
            sa.ForeignKey(
                "employers.id", name="fk_employer_statement_reviews_employer_id_employers"
            ),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "reservist_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_employer_statement_reviews_reservist_id_users"),
            nullable=True,
        ),
        sa.Column(
            "asked_by_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_employer_statement_reviews_asked_by_id_users"),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column(
            "answered_by_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_employer_statement_reviews_answered_by_id_users"),
            nullable=True,
        ),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.String(12), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_statement_reviews")),
    )
    op.create_index(
        "ix_employer_statement_reviews_statement",
        "employer_statement_reviews",
        ["employer_id", "year"],
    )
    op.create_index(
        "ix_employer_statement_reviews_asked_by_id", "employer_statement_reviews", ["asked_by_id"]
    )


def downgrade():
    op.drop_index("ix_employer_statement_reviews_asked_by_id", "employer_statement_reviews")
    op.drop_index("ix_employer_statement_reviews_statement", "employer_statement_reviews")
    op.drop_table("employer_statement_reviews")
    with op.batch_alter_table("employer_nominations") as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("agreement_terms") as batch_op:
        batch_op.drop_column("text_version")
