"""Records the Reserve's tests need: units, skills, engagements, periods (each flushed)."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from portal.extensions import db
from portal.reserve.models import (
    Assignment,
    Engagement,
    EngagementStatus,
    Skill,
    TrainingPeriod,
    Unit,
    UnitMember,
)
from tests.support import factories

_seq = itertools.count(1)

# The smallest file that starts like a PDF (what proofs are judged by).
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def skill(code: str | None = None, **fields) -> Skill:
    n = next(_seq)
    code = code or f"skill{n}"
    s = Skill(code=code, name_nl=fields.pop("name_nl", f"Vaardigheid {code}"),
              name_fr=fields.pop("name_fr", f"Compétence {code}"),
              name_de=fields.pop("name_de", f"Fähigkeit {code}"), **fields)
    db.session.add(s)
    db.session.flush()
    return s


def unit(pillar: str = "combat", province: str = "antwerp", skills=(), staff=(), **fields) -> Unit:
    n = next(_seq)
    u = Unit(code=fields.pop("code", f"U{n}"), name=fields.pop("name", f"Unit {n}"),
             pillar=pillar, province=province, place=fields.pop("place", "Leopoldsburg"),
             places=fields.pop("places", 10), **fields)
    u.skills = list(skills)
    db.session.add(u)
    db.session.flush()
    for member in staff:
        db.session.add(UnitMember(unit_id=u.id, user_id=member.id))
    db.session.flush()
    return u


def engagement(user=None, status: str = EngagementStatus.APPLIED, unit=None, **fields):
    n = next(_seq)
    user = user or factories.user()
    e = Engagement(
        reference=f"RSV-TEST-{n:05d}", user_id=user.id, status=status,
        first_name=user.first_name, last_name=user.last_name, language=user.language,
        pillar=fields.pop("pillar", "combat"), days_per_year=fields.pop("days_per_year", 10),
        commitment_months=fields.pop("commitment_months", 24),
        unit_id=getattr(unit, "id", None),
        start_date=fields.pop("start_date", date.today() - timedelta(days=1) if unit else None),
        **fields,
    )
    db.session.add(e)
    db.session.flush()
    return e


def period(unit, starts_in: int = 30, days: int = 3, capacity: int = 10, **fields):
    start = date.today() + timedelta(days=starts_in)
    p = TrainingPeriod(unit_id=unit.id, kind=fields.pop("kind", "exercise"), starts_on=start,
                       ends_on=start + timedelta(days=days - 1),
                       place=fields.pop("place", "Kamp Beverlo"), capacity=capacity, **fields)
    db.session.add(p)
    db.session.flush()
    return p


def assignment(period, engagement, **fields) -> Assignment:
    a = Assignment(period_id=period.id, engagement_id=engagement.id,
                   user_id=engagement.user_id, **fields)
    db.session.add(a)
    db.session.flush()
    return a
