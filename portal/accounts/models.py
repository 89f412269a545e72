"""User accounts of every role.

The accounts domain depends on no other: records of other domains point at a user
(a register Person by Person.user_id, which also gives `user.person`)."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.extensions import db
from portal.models import TimestampMixin, UTCDateTime, utcnow
from portal.security import Role


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
    # Subject of the federal login (FAS: eID, itsme) this account signs in with, if any.
    fas_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    # Staff records: the keyed hash (portal.nn) of the member's national register number,
    # set by an administrator. A federal login reaches a staff account only with this number.
    nn_hash: Mapped[str | None] = mapped_column(String(64))
    # Staff second factor (TOTP, RFC 6238): the base32 secret as a Fernet token under
    # TOTP_KEYS (never in clear: second_factor.secret() and set_secret() convert), when
    # enrolment was confirmed, and the last time step used (a code is accepted once).
    totp_secret: Mapped[str | None] = mapped_column(Text)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column()

    @validates("totp_secret")
    def _only_tokens(self, _key: str, value: str | None) -> str | None:
        # A Fernet token starts with its version byte, 0x80 ("gA" in base64); a base32
        # secret is upper case. Writing one in clear is a bug: fail loudly, store nothing.
        if value is not None and not value.startswith("gA"):
            raise ValueError("users.totp_secret holds a Fernet token, never the clear "
                             "secret: use second_factor.set_secret()")
        return value

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    # The server-side session this request runs under (set by the session loader).
    current_session = None  # a UserSession, not a column

    def get_id(self) -> str | None:  # Flask-Login keeps this in the session cookie
        return self.current_session.key if self.current_session is not None else None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.RECRUITER, Role.ADMIN)

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in {str(r) for r in roles}


class UserSession(db.Model):
    """One signed-in browser. The cookie holds a random key; only its SHA-256 is stored, so
    the table leaks no usable session. Ended at logout, by "log out everywhere", when the
    account is disabled or its password changes, after SESSION_IDLE_MINUTES without a
    request and SESSION_MAX_HOURS after login."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    # How the person signed in ("password", "fas") and when a second factor was given.
    method: Mapped[str] = mapped_column(String(10), default="password")
    second_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the person last confirmed it is them (accounts.reauth): sensitive changes need
    # it within REAUTH_MINUTES. Kept here, so a copied cookie does not carry it along.
    reauthenticated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    # The plain key, known only in the request that created or presented it.
    key = None  # str, not a column


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AccountGuesses(db.Model):
    """Failed logins per account name, from any network address (accounts/throttling.py):
    past a ceiling each further try waits longer. Keyed by a keyed digest of the address
    typed, so an address without an account is counted alike and none is stored in clear."""

    __tablename__ = "account_guesses"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                      index=True)
    alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
