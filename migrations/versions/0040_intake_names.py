"""intakes: their name in each language

Revision ID: 0040_intake_names
Revises: 0039_promises
Create Date: 2026-12-05 13:00:00

Candidates and each language section of their letters read the intake's name in that
language; an empty one falls back to the name staff know it by.
"""
import sqlalchemy as sa
from alembic import op

revision = "0040_intake_names"
down_revision = "0039_promises"
branch_labels = None
depends_on = None

COLUMNS = ("name_nl", "name_fr", "name_de")


def upgrade():
    with op.batch_alter_table("intakes") as batch:
        for column in COLUMNS:
            batch.add_column(sa.Column(column, sa.String(length=80), nullable=False,
                                       server_default=""))


def downgrade():
    # SQLite drops these columns in place (ALTER TABLE ... DROP COLUMN): rebuilding the
    # table would trip over the applications that point at it.
    with op.batch_alter_table("intakes", recreate="never") as batch:
        for column in COLUMNS:
            batch.drop_column(column)
