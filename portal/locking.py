"""The one way to lock a row for the rest of the transaction.

Decisions that count or change something shared (the places of an intake, of a
selection day or an information session; one application's next move) lock its row
first, so two requests at the same moment are handled one after the other and the
second sees what the first did.
"""
from __future__ import annotations

from sqlalchemy import update

from portal.extensions import db


def lock_row(model, row_id: int):
    """Lock one row of `model` until the transaction ends and return it, freshly read.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has one writer at a time: a no-op write to
    the row takes that lock at once (instead of failing later when a count is stale).
    Either way the row is read again after the lock, so a change made by the request we
    waited for is seen. Returns None when there is no such row.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(model).where(model.id == row_id).values(id=model.id)
            .execution_options(synchronize_session=False)
        )
        return db.session.get(model, row_id, populate_existing=True)
    return db.session.scalars(
        db.select(model).where(model.id == row_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def lock(instance):
    """lock_row for an object already loaded: the same object, refreshed under the lock."""
    return lock_row(type(instance), instance.id)
