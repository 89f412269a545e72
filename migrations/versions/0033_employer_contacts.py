"""agreement contacts and join requests: a link opens one agreement, never an enterprise

Revision ID: 0033_employer_contacts
Revises: 0032_totp_encrypted
Create Date: 2026-12-05 08:00:00

The link e-mailed for an agreement made whoever opened it a member (the first one an
administrator) of the enterprise. It now records an agreement contact; membership takes a
join request approved by an administrator of the enterprise, or by Defence staff for the
first one. Existing members stay members.
"""
import sqlalchemy as sa
from alembic import op

from portal.models import UTCDateTime

revision = "0033_employer_contacts"
down_revision = "0032_totp_encrypted"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "employer_agreement_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"],
                                name=op.f("fk_employer_agreement_contacts_agreement_id_agreements")),
        sa.ForeignKeyConstraint(["link_id"], ["employer_access_links.id"],
                                name=op.f("fk_employer_agreement_contacts_link_id_employer_access_links")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_employer_agreement_contacts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_agreement_contacts")),
        sa.UniqueConstraint("agreement_id", "user_id",
                            name=op.f("uq_employer_agreement_contacts_agreement_id_user_id")),
    )
    with op.batch_alter_table("employer_agreement_contacts") as batch:
        batch.create_index(batch.f("ix_employer_agreement_contacts_agreement_id"),
                           ["agreement_id"], unique=False)
        batch.create_index(batch.f("ix_employer_agreement_contacts_user_id"), ["user_id"],
                           unique=False)
    op.create_table(
        "employer_join_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("function", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_by", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreements.id"],
                                name=op.f("fk_employer_join_requests_agreement_id_agreements")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"],
                                name=op.f("fk_employer_join_requests_decided_by_id_users")),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"],
                                name=op.f("fk_employer_join_requests_employer_id_employers")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_employer_join_requests_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_join_requests")),
    )
    with op.batch_alter_table("employer_join_requests") as batch:
        batch.create_index("ix_employer_join_requests_open", ["employer_id", "status"],
                           unique=False)
        batch.create_index(batch.f("ix_employer_join_requests_user_id"), ["user_id"],
                           unique=False)


def downgrade():
    op.drop_table("employer_join_requests")
    op.drop_table("employer_agreement_contacts")
