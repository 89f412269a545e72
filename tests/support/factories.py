"""Factories for the records tests need; each flushes and returns the object."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from portal import regions
from portal.accounts import second_factor
from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.applications.intakes.models import Booking, InfoSession
from portal.applications.models import Intake
from portal.extensions import db
from portal.invitations import sample
from portal.invitations.models import Cohort, Person
from portal.invitations.services import nn_hash
from portal.models import utcnow

_seq = itertools.count(1)

PASSWORD = "correct horse battery staple"


def user(role: str = "citizen", email: str | None = None, password: str | None = PASSWORD,
         language: str = "nl", verified: bool = True, totp: str | None = None,
         **fields) -> User:
    """A user; with `totp` (a base32 secret), one whose two-step verification is on,
    the secret stored encrypted as enrolment stores it."""
    n = next(_seq)
    person = fields.pop("person", None)
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
    if totp is not None:
        second_factor.set_secret(u, totp)
        u.totp_enabled_at = utcnow()
    db.session.add(u)
    db.session.flush()
    if person is not None:  # the person (from the register) this account belongs to
        person.user_id = u.id
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


def cohort(**fields):

    n = next(_seq)
    today = date.today()
    values = dict(name=f"Cohort {n}", born_from=date(today.year - 18, 1, 1),
                  born_to=date(today.year - 18, 12, 31), expires_on=today + timedelta(days=180))
    values.update(fields)
    c = Cohort(**values)
    db.session.add(c)
    db.session.flush()
    return c


def person(cohort=None, postcode: str = "9000", birth_date: date | None = None, **fields):
    """A person from a register extract (a valid national register number, its keyed hash),
    with municipality and region from the table."""
    n = next(_seq)
    birth_date = birth_date or date(date.today().year - 18, 3, 1)
    number = fields.pop("national_number", None) or national_number(birth_date, n % 998 + 1)
    info = regions.lookup(postcode)
    register_language = fields.pop("register_language", None)
    values = dict(
        cohort_id=getattr(cohort, "id", None),
        nn_hash=nn_hash(number), national_number=number,
        last_name=f"Lastname{n}", first_names=f"Firstname{n}",
        birth_date=birth_date, sex="M" if int(number[6:9]) % 2 else "F",
        street="Veldstraat", house_number=str(n), postcode=postcode,
        municipality=info.municipality if info else "Nowhere",
        nis_code=info.nis_code if info else None,
        region=info.region if info else "flanders",
        register_language=register_language,
        language=regions.recipient_language(postcode, register_language) if info else "nl",
    )
    values.update(fields)
    p = Person(**values)
    db.session.add(p)
    db.session.flush()
    return p


def info_session(intake, days_ahead: int = 7, capacity: int = 20, **fields):
    from datetime import datetime, time


    starts = datetime.combine(date.today() + timedelta(days=days_ahead), time(14, 0),
                              tzinfo=utcnow().tzinfo)
    values = dict(intake=intake, starts_at=starts, online=False, place="Kwartier Peutie, Vilvoorde",
                  languages="nl,fr", capacity=capacity)
    values.update(fields)
    s = InfoSession(**values)
    db.session.add(s)
    db.session.flush()
    return s


def booking(session, user, **fields):

    b = Booking(session=session, intake_id=session.intake_id, user_id=user.id, **fields)
    db.session.add(b)
    db.session.flush()
    return b


def national_number(born: date, serial: int = 123) -> str:
    """A valid Belgian national register number for this birth date (odd serial: male)."""
    return sample.national_number(born, serial)
