"""rows of other domains that hang on an application go with it

Revision ID: 0025_application_cascades
Revises: 0020_employers
Create Date: 2026-11-30 04:55:00

An application deleted by an erasure or by the retention purge takes with it the
notifications about it, the identity clashes it is part of and the year-end choice of its
service year: without this the database refused the delete.
"""
from alembic import op

revision = "0025_application_cascades"
down_revision = "0020_employers"
branch_labels = None
depends_on = None

# (table, column) whose foreign key to applications.id gets ON DELETE CASCADE.
LINKS = (
    ("notifications", "application_id"),
    ("identity_clashes", "application_id"),
    ("identity_clashes", "other_application_id"),
    ("reserve_year_end_choices", "application_id"),
)


def _relink(ondelete):
    for table, column in LINKS:
        name = f"fk_{table}_{column}_applications"
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(name, type_="foreignkey")
            batch_op.create_foreign_key(name, "applications", [column], ["id"],
                                        ondelete=ondelete)


def upgrade():
    _relink("CASCADE")


def downgrade():
    _relink(None)
