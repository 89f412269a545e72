"""Demo data for `flask demo seed`: an open intake with sessions (its split per component
is demo data, not a sourced figure)."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal import clock
from portal.applications.intakes.models import InfoSession
from portal.applications.models import Intake
from portal.extensions import db

DEMO_INTAKE = "Dienstjaar 2027"
BRUSSELS = ZoneInfo("Europe/Brussels")
# (days from today, hour, online, place, languages, capacity)
DEMO_SESSIONS = (
    (5, 14, False, "Kwartier Koningin Elisabeth, Eversestraat 1, 1140 Evere", "fr,nl", 120),
    (8, 19, False, "Kwartier Bourg-Léopold, Kazernelaan, 3970 Leopoldsburg", "nl", 80),
    (12, 14, False, "Quartier Roi Albert Ier, 6900 Marche-en-Famenne", "fr", 80),
    (15, 18, False, "Kaserne Eupen, Hütte 79, 4700 Eupen", "de,fr", 30),
    (20, 20, True, "Online (Teams), link sent after booking", "nl,fr", 300),
)
# The online session's link to join, sent with the booking's message (a demo address).
DEMO_JOIN_URL = "https://meet.example.be/dienstjaar-infosessie"


def seed_intake(report) -> None:
    """An open intake of 500 places (the policy note's first levy; the 375 land, 75 air,
    50 navy split is demo data) and its information sessions."""
    today = clock.today()
    intake = db.session.scalar(db.select(Intake).where(Intake.name == DEMO_INTAKE))
    if intake is None:
        intake = Intake(
            name=DEMO_INTAKE, applications_open=today - timedelta(days=7),
            applications_close=today + timedelta(days=45),
            start_date=today + timedelta(days=120),
            quota_total=500, quota_land=375, quota_air=75, quota_navy=50,
            quota_medical=0, quota_cyber=0, min_age=18, max_age=25,
            nationality_rule="belgian", flag_after_days=14, offer_days=10,
            requires_info_session=True,
        )
        db.session.add(intake)
        db.session.flush()
        report.created(f"intake {DEMO_INTAKE}")
    else:
        report.existing(f"intake {DEMO_INTAKE}")
    for days, hour, online, place, languages, capacity in DEMO_SESSIONS:
        exists = db.session.scalar(db.select(InfoSession.id).where(
            InfoSession.intake_id == intake.id, InfoSession.place == place))
        if exists:
            report.existing(f"information session {place}")
            continue
        local = datetime.combine(today + timedelta(days=days), time(hour, 0), tzinfo=BRUSSELS)
        db.session.add(InfoSession(intake_id=intake.id, starts_at=local.astimezone(UTC),
                                   online=online, place=place, languages=languages,
                                   capacity=capacity,
                                   join_url=DEMO_JOIN_URL if online else ""))
        report.created(f"information session {place}")
    db.session.flush()
