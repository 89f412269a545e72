"""selection days: hours, an optional second day and the night in between

Revision ID: 0030_selection_day_hours
Revises: 0025_application_cascades
Create Date: 2026-11-30 06:10:00

The convocation printed a second day, its hours and a night at the selection centre from
the template; they are data now. Existing selection days keep what their letters said:
7.30-17.00, a second day the next day 7.30-15.00, a night at the centre.
"""
from datetime import time, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0030_selection_day_hours"
down_revision = "0026_health_encrypted"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("selection_days") as batch_op:
        batch_op.add_column(sa.Column("starts_at", sa.Time(), nullable=False,
                                      server_default="07:30:00"))
        batch_op.add_column(sa.Column("ends_at", sa.Time(), nullable=False,
                                      server_default="17:00:00"))
        batch_op.add_column(sa.Column("second_day", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("second_starts_at", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("second_ends_at", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("overnight", sa.Boolean(), nullable=False,
                                      server_default=sa.text("false")))
    table = sa.table("selection_days", sa.column("id", sa.Integer), sa.column("day", sa.Date),
                     sa.column("second_day", sa.Date), sa.column("second_starts_at", sa.Time),
                     sa.column("second_ends_at", sa.Time),
                     sa.column("overnight", sa.Boolean))
    connection = op.get_bind()
    for row_id, day in connection.execute(sa.select(table.c.id, table.c.day)).all():
        connection.execute(table.update().where(table.c.id == row_id).values(
            second_day=day + timedelta(days=1), second_starts_at=time(7, 30),
            second_ends_at=time(15, 0), overnight=True))


def downgrade():
    with op.batch_alter_table("selection_days") as batch_op:
        for column in ("overnight", "second_ends_at", "second_starts_at", "second_day",
                       "ends_at", "starts_at"):
            batch_op.drop_column(column)
