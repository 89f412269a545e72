"""audit events append-only in the database itself

Revision ID: 0007_audit_append_only
Revises: 0006_review
Create Date: 2026-11-29 10:25:00

The ORM already refuses to update or delete an AuditEvent; on PostgreSQL (production)
a trigger makes the database refuse it too, whatever client connects. TRUNCATE, which
only the database owner may run, is left alone.
"""
from alembic import op

revision = "0007_audit_append_only"
down_revision = "0006_review"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'audit events are append-only';
        END;
        $$ LANGUAGE plpgsql
    """)
    op.execute("""
        CREATE TRIGGER audit_events_append_only
        BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
    """)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
    op.execute("DROP FUNCTION audit_events_append_only()")
