"""Demo data of the Reserve for `flask demo seed`: skills, units, a unit staff account, an
active reservist with a planned training year, and a direct expert application."""
from __future__ import annotations

from datetime import timedelta

from portal import clock
from portal.accounts import services as accounts
from portal.accounts.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.models import utcnow
from portal.reserve.models import (
    Assignment,
    AssignmentStatus,
    Engagement,
    EngagementEvent,
    EngagementStatus,
    Origin,
    Skill,
    TrainingPeriod,
    Unit,
    UnitMember,
)
from portal.security import Role

SKILLS = (
    ("cyber", "Cyberbeveiliging", "Cybersécurité", "Cybersicherheit"),
    ("medical", "Geneeskunde en verpleging", "Médecine et soins infirmiers",
     "Medizin und Pflege"),
    ("engineering", "Ingenieurswetenschappen", "Ingénierie", "Ingenieurwesen"),
    ("logistics", "Logistiek en transport", "Logistique et transport", "Logistik und Transport"),
    ("legal", "Recht", "Droit", "Recht"),
    ("languages", "Talen en vertaling", "Langues et traduction", "Sprachen und Übersetzung"),
)
# code, name, pillar, province, garrison, places, skills
UNITS = (
    ("CYB-R", "Cyber Reserve Detachment", "specialised", "brussels", "Evere", 25, ("cyber",)),
    ("MED-R", "Medical Reserve Component", "specialised", "flemish_brabant", "Neder-over-Heembeek",
     30, ("medical", "languages")),
    ("3LANC-R", "3rd Lancers Reserve Company", "combat", "west_flanders", "Lombardsijde", 60,
     ("logistics",)),
    ("2CDO-R", "2 Commando Reserve Company", "combat", "limburg", "Leopoldsburg", 80, ()),
    ("TER-ANT", "Territorial Company Antwerp", "territorial", "antwerp", "Brasschaat", 120, ()),
    ("TER-LIE", "Compagnie territoriale Liège", "territorial", "liege", "Saive", 100, ()),
)
UNIT_STAFF = ("unit@example.org", "Pieter", "Verhoeven", "nl")
RESERVIST = ("jan.desmet@example.org", "Jan", "Desmet", "nl", "8400", "Kerkstraat 12")
EXPERT = ("sophie.leroy@example.org", "Sophie", "Leroy", "fr", "1050", "Rue du Bailli 8")


def seed_reserve(report) -> None:
    skills = {}
    for code, nl, fr, de in SKILLS:
        skill = db.session.scalar(db.select(Skill).where(Skill.code == code))
        if skill is None:
            skill = Skill(code=code, name_nl=nl, name_fr=fr, name_de=de)
            db.session.add(skill)
            report.created(f"reserve skill {code}")
        skills[code] = skill
    db.session.flush()
    units = {}
    for code, name, pillar, province, place, places, needs in UNITS:
        unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
        if unit is None:
            unit = Unit(code=code, name=name, pillar=pillar, province=province, place=place,
                        places=places)
            unit.skills = [skills[s] for s in needs]
            db.session.add(unit)
            report.created(f"reserve unit {code}")
        units[code] = unit
    db.session.flush()

    staff = _user(report, UNIT_STAFF, Role.UNIT_STAFF)
    if db.session.get(UnitMember, (units["3LANC-R"].id, staff.id)) is None:
        db.session.add(UnitMember(unit_id=units["3LANC-R"].id, user_id=staff.id))

    reservist = _user(report, RESERVIST[:4], Role.CITIZEN)
    if db.session.scalar(db.select(Engagement).where(Engagement.user_id == reservist.id)) is None:
        _planned_year(reservist, units["3LANC-R"], staff)
        report.created(f"reserve engagement and training year of {reservist.email}")
    else:
        report.existing(f"reserve engagement of {reservist.email}")

    expert = _user(report, EXPERT[:4], Role.CITIZEN)
    if db.session.scalar(db.select(Engagement).where(Engagement.user_id == expert.id)) is None:
        engagement = _engagement(expert, EXPERT, "specialised", EngagementStatus.APPLIED,
                                 rank="officer", days=12, months=36)
        engagement.skills = [skills["cyber"], skills["languages"]]
        engagement.expertise_text = "Security operations centre analyst, 8 years."
        report.created(f"direct reserve application of {expert.email}")
    db.session.flush()


def _user(report, spec, role):
    email, first, last, language = spec
    user = accounts.find_by_email(email)
    if user is not None:
        report.existing(f"user {email}")
    elif role == Role.CITIZEN:
        user = accounts.create_citizen(email, DEMO_PASSWORD, first, last, language)
        user.email_verified_at = utcnow()
        report.created(f"user {email}")
    else:
        user = accounts.create_staff(None, email, role, first, last, language,
                                     password=DEMO_PASSWORD)
        report.created(f"user {email}")
    report.credentials.append((email, str(role), DEMO_PASSWORD))
    db.session.flush()
    return user


def _engagement(user, spec, pillar, status, *, rank="soldier", days=10, months=24,
                unit=None, start=None):
    n = db.session.scalar(db.select(db.func.count()).select_from(Engagement)) + 1
    engagement = Engagement(
        reference=f"RSV-DEMO-{n:04d}", user_id=user.id, origin=Origin.DIRECT, status=status,
        first_name=user.first_name, last_name=user.last_name, language=user.language,
        street=spec[5], postcode=spec[4], pillar=pillar, rank_category=rank,
        days_per_year=days, commitment_months=months, unit_id=getattr(unit, "id", None),
        start_date=start)
    db.session.add(engagement)
    db.session.flush()
    if status != EngagementStatus.APPLIED:
        for action, to in (("start_screening", "screening"), ("approve", "approved"),
                           ("activate", "active")):
            db.session.add(EngagementEvent(engagement_id=engagement.id, action=action,
                                           from_status="", to_status=to))
            if to == status:
                break
    return engagement


def _planned_year(user, unit, staff) -> None:
    today = clock.today()
    engagement = _engagement(user, RESERVIST, "combat", EngagementStatus.ACTIVE, days=10,
                             months=36, unit=unit, start=today - timedelta(days=60))
    engagement.origin = Origin.SERVICE_YEAR
    plan = (  # (days from today, length, kind, place, status, served)
        (-40, 2, "initial", "Lombardsijde", AssignmentStatus.SERVED, 2),
        (30, 3, "refresher", "Kamp Elsenborn", AssignmentStatus.CONFIRMED, None),
        (75, 5, "exercise", "Kamp Beverlo, Leopoldsburg", AssignmentStatus.PLANNED, None),
    )
    for offset, length, kind, place, status, served in plan:
        start = today + timedelta(days=offset)
        period = TrainingPeriod(unit_id=unit.id, kind=kind, starts_on=start,
                                ends_on=start + timedelta(days=length - 1), place=place,
                                capacity=40, created_by_id=staff.id)
        db.session.add(period)
        db.session.flush()
        db.session.add(Assignment(period_id=period.id, engagement_id=engagement.id,
                                  user_id=user.id, status=status, served_days=served))
    db.session.flush()
