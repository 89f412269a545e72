"""Administrators keep the units and the list of needed skills as data."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from portal import audit
from portal.accounts.models import User
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import vocab
from portal.reserve.models import Pillar, Skill, Unit, UnitMember
from portal.security import Role


def save_unit(actor, unit: Unit | None, *, code: str, name: str, pillar: str, province: str,
              place: str, places: int, active: bool, skill_ids, member_ids) -> Unit:
    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9-]{2,20}", code):
        raise Refusal(_("The code has 2 to 20 letters, digits or hyphens."), field="code")
    if pillar not in set(Pillar):
        raise Refusal(_("Choose a pillar."), field="pillar")
    if province not in vocab.PROVINCE_LABELS:
        raise Refusal(_("Choose the province."), field="province")
    if places is None or places < 0:
        raise Refusal(_("Places cannot be negative."), field="places")
    clash = db.session.scalar(db.select(Unit).where(Unit.code == code))
    if clash is not None and clash is not unit:
        raise Refusal(_("Another unit has this code."), field="code")
    created = unit is None
    if created:
        unit = Unit(code=code)
        db.session.add(unit)
    unit.code, unit.name, unit.pillar, unit.province = code, name.strip(), pillar, province
    unit.place, unit.places, unit.active = place.strip(), places, active
    unit.skills = db.session.scalars(db.select(Skill).where(Skill.id.in_(skill_ids or []))).all()
    db.session.flush()
    staff = set(db.session.scalars(db.select(User.id).where(
        User.id.in_(member_ids or []), User.role == Role.UNIT_STAFF)).all())
    current = {m.user_id: m for m in db.session.scalars(
        db.select(UnitMember).where(UnitMember.unit_id == unit.id))}
    for user_id, member in current.items():
        if user_id not in staff:
            db.session.delete(member)
    for user_id in staff - set(current):
        db.session.add(UnitMember(unit_id=unit.id, user_id=user_id))
    db.session.flush()
    audit.record(actor, "reserve.unit_created" if created else "reserve.unit_changed", unit,
                 unit=code)
    return unit


def save_skill(actor, *, code: str, name_nl: str, name_fr: str, name_de: str) -> Skill:
    code = code.strip().lower()
    if not re.fullmatch(r"[a-z0-9_-]{2,40}", code):
        raise Refusal(_("The code has 2 to 40 lowercase letters, digits, - or _."),
                      field="code")
    if db.session.scalar(db.select(Skill).where(Skill.code == code)) is not None:
        raise Refusal(_("Another skill has this code."), field="code")
    skill = Skill(code=code, name_nl=name_nl.strip(), name_fr=name_fr.strip(),
                  name_de=name_de.strip())
    db.session.add(skill)
    db.session.flush()
    audit.record(actor, "reserve.skill_created", skill, skill=code)
    return skill


def toggle_skill(actor, skill: Skill) -> None:
    skill.needed = not skill.needed
    db.session.flush()
    audit.record(actor, "reserve.skill_changed", skill, needed=skill.needed)


def unit_staff_users() -> list[User]:
    return db.session.scalars(db.select(User).where(User.role == Role.UNIT_STAFF,
                                                    User.active.is_(True))
                              .order_by(User.last_name, User.email)).all()
