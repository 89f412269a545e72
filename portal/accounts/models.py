"""User accounts of every role.

The accounts domain depends on no other: records of other domains point at a user
(a register Person by Person.user_id, which also gives `user.person`)."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models import TimestampMixin, UTCDateTime
from portal.security import Role, new_session_token


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.CITIZEN, index=True)
    language: Mapped[str] = mapped_column(String(5), default="nl")
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    # Rotated at logout and password change: a copied session cookie then stops working.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:  # Flask-Login keeps this in the session cookie
        return self.session_token

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.RECRUITER, Role.ADMIN)

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in {str(r) for r in roles}
