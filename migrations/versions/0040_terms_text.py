"""the conditions' text version of agreement terms, the HR contact's language

Revision ID: 0040_terms_text
Revises: 0039_promises
Create Date: 2026-12-05 13:00:00

Agreement terms record which version of the conditions' full text they were proposed and
signed with (the terms written so far: the first version). A reservist naming an employer
says which language the HR contact reads.
"""

import sqlalchemy as sa
from alembic import op

revision = "0040_terms_text"
down_revision = "0039_promises"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agreement_terms") as batch_op:
        batch_op.add_column(
            sa.Column("text_version", sa.String(20), nullable=False, server_default="2026-1")
        )
    with op.batch_alter_table("employer_nominations") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(5), nullable=True))


def downgrade():
    with op.batch_alter_table("employer_nominations") as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("agreement_terms") as batch_op:
        batch_op.drop_column("text_version")
