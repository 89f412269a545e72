"""intakes: what the offer gives

Revision ID: 0042_offer_terms
Revises: 0041_terms_text
Create Date: 2026-12-05 14:00:00

The offer page and the offer letter print the pay per month (gross and net, in cents),
the rank during the year, the function or trade and the days of leave, as staff set them
per intake. Empty values are left out.
"""

import sqlalchemy as sa
from alembic import op

revision = "0042_offer_terms"
down_revision = "0041_terms_text"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("intakes") as batch:
        batch.add_column(sa.Column("offer_pay_gross_cents", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("offer_pay_net_cents", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("offer_rank", sa.String(length=20), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("offer_function", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("offer_leave_days", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("intakes", recreate="never") as batch:
        for column in (
            "offer_leave_days",
            "offer_function",
            "offer_rank",
            "offer_pay_net_cents",
            "offer_pay_gross_cents",
        ):
            batch.drop_column(column)
