"""The outbox of notifications (one row per message and channel) and who wants SMS."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models import TimestampMixin, UTCDateTime


class Notification(TimestampMixin, db.Model):
    """A message to a candidate, written in the transaction of what it tells, delivered
    after the commit and retried until sent (or NOTIFY_MAX_ATTEMPTS)."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "kind", "key", "channel",
                                       name="uq_notifications_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # messages.KINDS
    # What makes the message unique for its kind (the move's event, or the offer's deadline
    # for a reminder): the same thing is never told twice.
    key: Mapped[str] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(10), default="email")  # email | sms
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SmsChoice(TimestampMixin, db.Model):
    """A citizen who also wants text messages, and the number to send them to."""

    __tablename__ = "sms_choices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))
