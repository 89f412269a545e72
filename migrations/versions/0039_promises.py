"""another selection day, reviews of decisions, messages, first-day information

Revision ID: 0039_promises
Revises: 0038_guesses_and_drafts
Create Date: 2026-12-05 08:30:00

Intakes get the days before a selection day a candidate may still move to another one, and
the first day's time, place, what to bring, pay, lodging and travel (printed in the offer
letter and shown on the first-day page). Two tables: review requests of decisions (of an
application, or of an application to the Reserve), and the
messages between a candidate and the recruitment team.
"""
import sqlalchemy as sa
from alembic import op

revision = "0039_promises"
down_revision = "0038_guesses_and_drafts"
branch_labels = None
depends_on = None

TEXTS = ("first_day_bring", "first_day_pay", "first_day_lodging", "first_day_travel")


def upgrade():
    with op.batch_alter_table("intakes") as batch_op:
        batch_op.add_column(sa.Column("reschedule_days", sa.Integer(), nullable=False,
                                      server_default="3"))
        batch_op.add_column(sa.Column("first_day_time", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("first_day_place", sa.String(200), nullable=False,
                                      server_default=""))
        for name in TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "review_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(),
                  sa.ForeignKey("applications.id", ondelete="CASCADE",
                                name="fk_review_requests_application_id_applications"),
                  nullable=True),
        sa.Column("engagement_id", sa.Integer(),
                  sa.ForeignKey("reserve_engagements.id", ondelete="CASCADE",
                                name="fk_review_requests_engagement_id_reserve_engagements"),
                  nullable=True),
        sa.Column("contested", sa.String(20), nullable=False),
        sa.Column("decision_id", sa.Integer(),
                  sa.ForeignKey("decisions.id",
                                name="fk_review_requests_decision_id_decisions"),
                  nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_by_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_review_requests_answered_by_id_users"),
                  nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(12), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
    )
    op.create_index("ix_review_requests_application_id", "review_requests", ["application_id"])
    op.create_index("ix_review_requests_engagement_id", "review_requests", ["engagement_id"])
    op.create_index("ix_review_requests_created_at", "review_requests", ["created_at"])
    op.create_index("uq_review_requests_open_per_application", "review_requests",
                    ["application_id"], unique=True,
                    sqlite_where=sa.text("answered_at IS NULL"),
                    postgresql_where=sa.text("answered_at IS NULL"))
    op.create_index("uq_review_requests_open_per_engagement", "review_requests",
                    ["engagement_id"], unique=True,
                    sqlite_where=sa.text("answered_at IS NULL"),
                    postgresql_where=sa.text("answered_at IS NULL"))
    op.create_table(
        "application_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(),
                  sa.ForeignKey("applications.id", ondelete="CASCADE",
                                name="fk_application_messages_application_id_applications"),
                  nullable=False),
        sa.Column("author_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_application_messages_author_id_users"),
                  nullable=True),
        sa.Column("from_staff", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_application_messages_application_id", "application_messages",
                    ["application_id"])
    op.create_index("ix_application_messages_created_at", "application_messages",
                    ["created_at"])


def downgrade():
    op.drop_table("application_messages")
    op.drop_index("uq_review_requests_open_per_engagement", table_name="review_requests")
    op.drop_index("uq_review_requests_open_per_application", table_name="review_requests")
    op.drop_table("review_requests")
    # ALTER TABLE ... DROP COLUMN on both databases (SQLite since 3.35): a batch rebuild
    # of `intakes` would have to drop the table every application points at.
    for name in ("reschedule_days", "first_day_time", "first_day_place", *TEXTS):
        op.drop_column("intakes", name)
