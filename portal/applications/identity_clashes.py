"""Two applications that claim the same national register number.

A number typed into the application form proves nothing; the register link made by an
invitation code or the federal login (eID, itsme) does. A typed number never keeps the
registered person from applying: when it clashes with them, or with another typed claim,
the clash is recorded here and shown to recruiters on both applications to resolve.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column

from portal import audit
from portal.applications.models import Application, Status
from portal.extensions import db
from portal.models import UTCDateTime, utcnow


class IdentityClash(db.Model):
    __tablename__ = "identity_clashes"
    __table_args__ = (UniqueConstraint("application_id", "other_application_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The application submitted last, and the earlier one claiming the same person.
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    other_application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    # "register": the later one is the registered person, the earlier a typed claim;
    # "typed": both typed the number.
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def typed_claims(application: Application, number_hash: str) -> list[Application]:
    """Other live applications in the intake whose form carries this number's hash."""
    return list(db.session.scalars(
        db.select(Application).where(
            Application.intake_id == application.intake_id, Application.id != application.id,
            Application.user_id != application.user_id,
            Application.status.notin_([Status.WITHDRAWN, Status.DRAFT]),
            Application.answers.contains(json.dumps({"nn_hash": number_hash})[1:-1]))
    ))


def record(application: Application, others: list[Application], kind: str, actor) -> None:
    for other in others:
        db.session.add(IdentityClash(application_id=application.id,
                                     other_application_id=other.id, kind=kind))
        audit.record(actor, "application.identity_clash", application,
                     other_application_id=other.id, kind=kind)
    db.session.flush()


def for_application(application_id: int) -> list[IdentityClash]:
    return list(db.session.scalars(db.select(IdentityClash).where(or_(
        IdentityClash.application_id == application_id,
        IdentityClash.other_application_id == application_id)).order_by(IdentityClash.id)))
