"""The one row-lock helper: decisions counting against a row queue up behind each other."""
from __future__ import annotations

from sqlalchemy import update

from portal.extensions import db


def lock_row(model, row_id: int):
    """Lock one row until the transaction ends and return it freshly read.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has one writer at a time: writing to the
    row takes that lock at once instead of failing later when a count is stale.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(model).where(model.id == row_id).values(id=model.id))
        return db.session.get(model, row_id)
    return db.session.scalars(
        db.select(model).where(model.id == row_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()
