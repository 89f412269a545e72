"""`flask demo seed` opens an intake split like the first one, with sessions to book."""
from __future__ import annotations

from datetime import date

from portal.applications.intakes.demo import DEMO_INTAKE, DEMO_SESSIONS
from portal.applications.intakes.models import InfoSession
from portal.applications.models import Intake
from portal.extensions import db


def test_demo_seed_opens_an_intake_with_the_first_intakes_split_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert f"created: intake {DEMO_INTAKE}" in first.output
    intake = db.session.scalar(db.select(Intake).where(Intake.name == DEMO_INTAKE))
    assert intake.is_open_on(date.today())
    assert (intake.quota_total, intake.quota_land, intake.quota_air, intake.quota_navy,
            intake.quota_medical, intake.quota_cyber) == (500, 375, 75, 50, 0, 0)
    sessions = db.session.scalars(db.select(InfoSession)).all()
    assert len(sessions) == len(DEMO_SESSIONS)
    assert {s.languages for s in sessions} >= {"nl", "fr", "de,fr"}

    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0 and "created:" not in second.output
    assert len(db.session.scalars(db.select(InfoSession)).all()) == len(DEMO_SESSIONS)
