"""Erasure requests of citizens, and what each one kept."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models import UTCDateTime, utcnow


class ErasureStatus(StrEnum):
    # Everything erased at once; nothing kept.
    DONE = "done"
    # Erased at once except what the law keeps (listed in `kept`) until `kept_until`.
    KEEPING = "keeping"
    # A member of staff closed it after the kept records went too.
    CLOSED = "closed"


class ErasureRequest(db.Model):
    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    # The (anonymised) account: no name or address is kept here.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=ErasureStatus.DONE, index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # JSON: {kind: count} of what was deleted or minimised at once.
    erased: Mapped[str] = mapped_column(Text, default="{}")
    # JSON: [[what, until (ISO date or null), why]] in English message ids.
    kept: Mapped[str] = mapped_column(Text, default="[]")
    kept_until: Mapped[date | None] = mapped_column(Date)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
