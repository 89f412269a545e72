"""the time a signed-in person last confirmed it is them

Revision ID: 0043_reauth
Revises: 0042_offer_terms
Create Date: 2026-12-05 13:00:00

Sensitive account changes (recovery codes, the second factor, the federal login, staff
accounts and roles) need a confirmation within REAUTH_MINUTES; its time is kept with the
server-side session, not in the cookie.
"""
import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0043_reauth"
down_revision = "0042_offer_terms"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_sessions") as batch_op:
        batch_op.add_column(sa.Column("reauthenticated_at",
                                      portal.models.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("user_sessions") as batch_op:
        batch_op.drop_column("reauthenticated_at")
