"""Column types and helpers shared by every domain's models."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Index, text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database.

    SQLite drops the offset; this stores UTC and always hands back an aware value,
    so comparisons with utcnow() work the same on SQLite and PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


def unique_while_null(name: str, *columns: str, null: str) -> Index:
    """A unique index over `columns` among the rows whose column `null` is NULL (those still
    open or active): at most one such row per key, whatever the request race, on SQLite and
    PostgreSQL alike."""
    open_rows = text(f"{null} IS NULL")
    return Index(name, *columns, unique=True, sqlite_where=open_rows,
                 postgresql_where=open_rows)
