"""What candidates were told (one row per message and channel) and who wants SMS."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models import TimestampMixin


class Notification(TimestampMixin, db.Model):
    """A message to a candidate, written in the transaction of what it tells (once per
    key and channel); its delivery (portal.outbox) makes and sends it after the commit."""

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


class SmsChoice(TimestampMixin, db.Model):
    """A citizen who also wants text messages, and the number to send them to."""

    __tablename__ = "sms_choices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))
