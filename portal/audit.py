"""The append-only audit log and the one helper every feature calls."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models import UTCDateTime, utcnow

# Detail keys that must never reach the log, whatever a caller passes.
FORBIDDEN_KEYS = {"national_number", "nn", "password", "code", "token"}


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text, default="{}")

    @property
    def details_dict(self) -> dict[str, Any]:
        return json.loads(self.details or "{}")


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(*_args):
    raise RuntimeError("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(*_args):
    raise RuntimeError("audit events are append-only")


def record(actor, action: str, obj=None, **details: Any) -> AuditEvent:
    """Append one audit event: who (a User or None for the system), did what, to which object.

    `obj` is a model instance (its class name and id are kept) or a (type, id) pair.
    The caller commits with the change it audits.
    """
    bad = FORBIDDEN_KEYS & set(details)
    if bad:
        raise ValueError(f"audit details may not contain {sorted(bad)}")
    object_type = object_id = None
    if isinstance(obj, tuple):
        object_type, object_id = obj[0], str(obj[1])
    elif obj is not None:
        object_type = type(obj).__name__
        if getattr(obj, "id", None) is None:
            db.session.flush()
        object_id = str(obj.id)
    event_ = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_role=str(actor.role) if actor is not None and hasattr(actor, "role") else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip=request.remote_addr if has_request_context() else None,
        details=json.dumps(details, default=str, sort_keys=True),
    )
    db.session.add(event_)
    db.session.flush()
    return event_
