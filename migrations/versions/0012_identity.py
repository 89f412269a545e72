"""federal login subject on accounts; letters downloaded by a random public id; identity
clashes between applications; import reports as rows

Revision ID: 0012_identity
Revises: 0011_second_factor
Create Date: 2026-11-30 03:20:00
"""
import json
import secrets

import sqlalchemy as sa
from alembic import op

from portal.models import UTCDateTime

revision = "0012_identity"
down_revision = "0011_second_factor"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("fas_subject", sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_fas_subject"), ["fas_subject"])
    with op.batch_alter_table("letters") as batch_op:
        batch_op.add_column(sa.Column("public_id", sa.String(length=32), nullable=True))
    conn = op.get_bind()
    letters = sa.table("letters", sa.column("id", sa.Integer), sa.column("public_id", sa.String))
    ids = [row.id for row in conn.execute(sa.select(letters.c.id))]
    for start in range(0, len(ids), 5000):
        conn.execute(letters.update().where(letters.c.id == sa.bindparam("letter_id"))
                     .values(public_id=sa.bindparam("new_id")),
                     [{"letter_id": i, "new_id": secrets.token_urlsafe(16)}
                      for i in ids[start:start + 5000]])
    with op.batch_alter_table("letters") as batch_op:
        batch_op.alter_column("public_id", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_letters_public_id"), ["public_id"])
    op.create_table(
        "identity_clashes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("other_application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_identity_clashes_application_id_applications")),
        sa.ForeignKeyConstraint(
            ["other_application_id"], ["applications.id"],
            name=op.f("fk_identity_clashes_other_application_id_applications")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_clashes")),
        sa.UniqueConstraint("application_id", "other_application_id",
                            name=op.f("uq_identity_clashes_application_id_other_application_id")),
    )
    with op.batch_alter_table("identity_clashes") as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_clashes_application_id"),
                              ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_identity_clashes_other_application_id"),
                              ["other_application_id"], unique=False)
    op.create_table(
        "cohort_import_errors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["cohort_imports.id"], ondelete="CASCADE",
                                name=op.f("fk_cohort_import_errors_import_id_cohort_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_import_errors")),
    )
    with op.batch_alter_table("cohort_import_errors") as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_import_errors_import_id"), ["import_id"],
                              unique=False)
    with op.batch_alter_table("cohort_imports") as batch_op:
        batch_op.add_column(sa.Column("problems", sa.Integer(), nullable=False,
                                      server_default="0"))
    # Reports kept as one JSON column become rows (the first 1,000 problems of each).
    imports = sa.table("cohort_imports", sa.column("id", sa.Integer),
                       sa.column("errors", sa.Text), sa.column("problems", sa.Integer))
    errors = sa.table("cohort_import_errors", sa.column("import_id", sa.Integer),
                      sa.column("row", sa.Integer), sa.column("field", sa.String),
                      sa.column("reason", sa.String), sa.column("params", sa.Text))
    for import_id, raw in conn.execute(sa.select(imports.c.id, imports.c.errors)).all():
        listed = json.loads(raw or "[]")
        conn.execute(imports.update().where(imports.c.id == import_id)
                     .values(problems=len(listed)))
        if listed:
            conn.execute(errors.insert(), [
                {"import_id": import_id, "row": row, "field": name, "reason": reason,
                 "params": json.dumps(params, sort_keys=True)}
                for row, name, reason, params in listed[:1000]])
    with op.batch_alter_table("cohort_imports") as batch_op:
        batch_op.alter_column("problems", server_default=None)
        batch_op.drop_column("errors")


def downgrade():
    with op.batch_alter_table("cohort_imports") as batch_op:
        batch_op.add_column(sa.Column("errors", sa.Text(), nullable=False, server_default="[]"))
        batch_op.drop_column("problems")
    op.drop_table("cohort_import_errors")
    op.drop_table("identity_clashes")
    with op.batch_alter_table("letters") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_letters_public_id"), type_="unique")
        batch_op.drop_column("public_id")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_fas_subject"), type_="unique")
        batch_op.drop_column("fas_subject")
