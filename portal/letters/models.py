"""Every letter the portal issued, kept byte for byte; the recipients of letter runs."""
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
    # "post": printed and posted to the address in its window; "online": no deliverable
    # postal address was known, so the letter is only on the account page (and e-mailed).
    delivery: Mapped[str] = mapped_column(String(10), default="post", server_default="post")
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class RunItem(db.Model):
    """One recipient of a run, numbered in print order when the run starts."""

    __tablename__ = "letter_run_items"
    __table_args__ = (Index("ix_letter_run_items_job_batch", "job_id", "batch"),)

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    batch: Mapped[int]
    # The recipient's id in the run source (e.g. a person).
    key: Mapped[int]
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    # Why this recipient got no letter, for the run report (no personal data).
    failure: Mapped[str | None] = mapped_column(String(300))


class RunBatch(db.Model):
    """One print batch of a run as it was put in place: written in the transaction that
    archives its letters ("archived"), "final" once its files are in their final place,
    "failed" when the batch stopped before that. A run's manifest is written only when
    every batch has its row, and only from final ones."""

    __tablename__ = "letter_run_batches"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)  # as RunItem.batch (from 0)
    state: Mapped[str] = mapped_column(String(12))  # archived | final | failed
    letters: Mapped[int] = mapped_column(default=0)
    pages: Mapped[int] = mapped_column(default=0)  # of the batch file, blank backs included
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the batch PDF
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
