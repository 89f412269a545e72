"""enterprises' postal address and contact person; how each letter is delivered

Revision ID: 0037_postal_addresses
Revises: 0036_info_session_link
Create Date: 2026-12-05 08:30:00

Letters to an enterprise (agreement, compensation statement) go to its postal address and
its contact person: seven nullable columns on `employers`, filled in by its HR users.
`letters.delivery` says whether a letter went to the post ("post") or, for want of a
deliverable address, only to the account page and e-mail ("online"); every letter issued
before had an address in its window and was posted.
"""
import sqlalchemy as sa
from alembic import op

revision = "0037_postal_addresses"
down_revision = "0036_info_session_link"
branch_labels = None
depends_on = None

EMPLOYER_COLUMNS = (("street", 120), ("house_number", 12), ("box", 12), ("postcode", 4),
                    ("municipality", 80), ("contact_name", 200), ("contact_function", 200))


def upgrade():
    with op.batch_alter_table("employers") as batch_op:
        for name, length in EMPLOYER_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length), nullable=True))
    with op.batch_alter_table("letters") as batch_op:
        batch_op.add_column(sa.Column("delivery", sa.String(10), nullable=False,
                                      server_default="post"))


def downgrade():
    # SQLite drops these columns in place (ALTER TABLE ... DROP COLUMN): rebuilding the
    # tables would trip over the rows that point at them.
    with op.batch_alter_table("letters", recreate="never") as batch_op:
        batch_op.drop_column("delivery")
    with op.batch_alter_table("employers", recreate="never") as batch_op:
        for name, _length in reversed(EMPLOYER_COLUMNS):
            batch_op.drop_column(name)
