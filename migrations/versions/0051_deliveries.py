"""one delivery path: e-mails, text messages and letters in one `deliveries` table

The waiting (and sent) e-mails of `mail_outbox`, the letters of `pending_letters` and the
pending notifications move into it; the two old tables and the notifications' own
delivery columns go.

Revision ID: 0051_deliveries
Revises: 0050_background
Create Date: 2026-12-06 06:30:00
"""
import json

import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0051_deliveries"
down_revision = "0050_background"
branch_labels = None
depends_on = None

WHEN = portal.models.UTCDateTime(timezone=True)


def upgrade():
    deliveries = op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("maker", sa.String(120), nullable=True),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=True),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("reference", sa.String(40), nullable=True),
        sa.Column("subject_type", sa.String(40), nullable=True),
        sa.Column("subject_id", sa.String(64), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey(
            "users.id", name="fk_deliveries_user_id_users", ondelete="CASCADE"),
            nullable=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey(
            "persons.id", name="fk_deliveries_person_id_persons", ondelete="CASCADE"),
            nullable=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey(
            "users.id", name="fk_deliveries_actor_id_users", ondelete="SET NULL"),
            nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.Column("failed_at", WHEN, nullable=True),
        sa.UniqueConstraint("reference", name="uq_deliveries_reference"),
    )
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.create_index("ix_deliveries_user_id", ["user_id"])
        batch_op.create_index("ix_deliveries_person_id", ["person_id"])
        batch_op.create_index("ix_deliveries_created_at", ["created_at"])
        batch_op.create_index("ix_deliveries_due", ["sent_at", "failed_at", "next_attempt_at"])

    conn = op.get_bind()
    rows = []
    for mail in conn.execute(sa.text(
            "SELECT recipient, subject, message, created_at, attempts, last_error, "
            "next_attempt_at, sent_at FROM mail_outbox ORDER BY id")).mappings():
        rows.append({**mail, "channel": "email", "kind": "", "maker": None, "params": "{}",
                     "reference": None, "subject_type": None, "subject_id": None,
                     "user_id": None, "person_id": None, "actor_id": None,
                     "failed_at": None})
    for letter in conn.execute(sa.text(
            "SELECT kind, reference, maker, subject_type, subject_id, user_id, person_id, "
            "actor_id, params, created_at, attempts, last_error, failed_at "
            "FROM pending_letters ORDER BY id")).mappings():
        rows.append({**letter, "channel": "letter", "message": None, "recipient": "",
                     "subject": "", "next_attempt_at": letter["created_at"],
                     "sent_at": None})
    for told in conn.execute(sa.text(
            "SELECT n.id, n.user_id, n.kind, n.channel, n.created_at, n.attempts, "
            "n.last_error, u.email FROM notifications n JOIN users u ON u.id = n.user_id "
            "WHERE n.state = 'pending' ORDER BY n.id")).mappings():
        rows.append({"channel": told["channel"], "kind": told["kind"],
                     "maker": "portal.notifications.outbox:make",
                     "params": json.dumps({"notification_id": told["id"]}),
                     "message": None,
                     "recipient": told["email"] if told["channel"] == "email" else "",
                     "subject": "", "reference": None, "subject_type": None,
                     "subject_id": None, "user_id": told["user_id"], "person_id": None,
                     "actor_id": None, "created_at": told["created_at"],
                     "attempts": told["attempts"], "last_error": told["last_error"],
                     "next_attempt_at": told["created_at"], "sent_at": None,
                     "failed_at": None})
    if rows:
        op.bulk_insert(deliveries, rows)

    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.drop_index("ix_mail_outbox_due")
        batch_op.drop_index("ix_mail_outbox_created_at")
    op.drop_table("mail_outbox")
    op.drop_index("ix_pending_letters_person_id", "pending_letters")
    op.drop_index("ix_pending_letters_user_id", "pending_letters")
    op.drop_table("pending_letters")
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_index("ix_notifications_state")
        batch_op.drop_column("state")
        batch_op.drop_column("attempts")
        batch_op.drop_column("last_error")
        batch_op.drop_column("sent_at")


def downgrade():
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(10), nullable=False,
                                      server_default="sent"))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False,
                                      server_default="1"))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("sent_at", WHEN, nullable=True))
        batch_op.create_index("ix_notifications_state", ["state"])
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
    op.execute(
        "INSERT INTO pending_letters (kind, reference, maker, subject_type, subject_id, "
        "user_id, person_id, actor_id, params, created_at, attempts, last_error, failed_at) "
        "SELECT kind, reference, maker, subject_type, subject_id, user_id, person_id, "
        "actor_id, params, created_at, attempts, substr(last_error, 1, 300), failed_at "
        "FROM deliveries WHERE channel = 'letter'")
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
    )
    with op.batch_alter_table("mail_outbox") as batch_op:
        batch_op.create_index("ix_mail_outbox_created_at", ["created_at"])
        batch_op.create_index("ix_mail_outbox_due", ["sent_at", "next_attempt_at"])
    # E-mails still to be made from their values cannot go back: only built ones do.
    op.execute(
        "INSERT INTO mail_outbox (recipient, subject, message, created_at, attempts, "
        "last_error, next_attempt_at, sent_at) SELECT recipient, subject, message, "
        "created_at, attempts, coalesce(last_error, ''), next_attempt_at, sent_at "
        "FROM deliveries WHERE channel = 'email' AND maker IS NULL")
    op.drop_table("deliveries")
