"""Factories for the records tests need; each flushes and returns the object."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from portal.accounts.models import User
from portal.applications.models import Intake
from portal.extensions import db
from portal.models import utcnow

_seq = itertools.count(1)

PASSWORD = "correct horse battery staple"  # noqa: S105


def user(role: str = "citizen", email: str | None = None, password: str | None = PASSWORD,
         language: str = "nl", verified: bool = True, **fields) -> User:
    from portal.accounts.passwords import hash_password

    n = next(_seq)
    u = User(
        email=email or f"{role}{n}@example.be",
        password_hash=hash_password(password) if password else None,
        role=role,
        language=language,
        first_name=fields.pop("first_name", f"First{n}"),
        last_name=fields.pop("last_name", f"Last{n}"),
        email_verified_at=utcnow() if verified else None,
        **fields,
    )
    db.session.add(u)
    db.session.flush()
    return u


def intake(**fields) -> Intake:
    n = next(_seq)
    today = date.today()
    values = dict(
        name=f"Intake {n}",
        applications_open=today - timedelta(days=10),
        applications_close=today + timedelta(days=30),
        start_date=today + timedelta(days=120),
        quota_total=10, quota_land=5, quota_air=2, quota_navy=2, quota_medical=1, quota_cyber=1,
    )
    values.update(fields)
    i = Intake(**values)
    db.session.add(i)
    db.session.flush()
    return i
