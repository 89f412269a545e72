"""Every letter the portal issued, kept byte for byte."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from portal.extensions import db
from portal.models import UTCDateTime, utcnow


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


class Letter(db.Model):
    __tablename__ = "letters"
    __table_args__ = (
        Index("ix_letters_kind_cohort", "kind", "cohort_id"),
        # A run issues one letter per person, even if two workers took the same batch.
        UniqueConstraint("job_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # In download links instead of the id: 128 random bits, so letters cannot be enumerated.
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    kind: Mapped[str] = mapped_column(String(40))  # invitation, acknowledgement, convocation, ...
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"))
    # Which object the letter belongs to (e.g. "Application", "42").
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    languages: Mapped[str] = mapped_column(String(12))  # in print order, e.g. "nl,fr"
    template_version: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    page_count: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The letter run (a Job) that issued it, if any: lets a run resume and export.
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
