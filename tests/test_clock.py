"""The portal's day (`TODAY`, PORTAL_TODAY): an acceptance environment moves it and the
pages, the offers and the daily commands all act on that day; production refuses it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal import config
from portal.applications.models import Application, Status
from portal.extensions import db
from portal.reserve.models import EngagementStatus
from tests.support import factories
from tests.support import reserve as helpers
from tests.support import review as scene
from tests.support.client import login, post_form


def test_on_a_periods_last_day_the_unit_records_its_attendance(app, client, monkeypatch):
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    engagement = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    period = helpers.period(unit, starts_in=60, days=3)
    assignment = helpers.assignment(period, engagement)
    db.session.commit()
    login(client, staff)
    page = f"/units/periods/{period.id}"
    url = f"/units/assignments/{assignment.id}/record_attendance"

    # Today, the period has not started: nothing to record yet.
    assert url not in client.get(page).get_data(as_text=True)
    post_form(client, url, {"served_days": "3"}, page=page)
    db.session.expire_all()
    assert assignment.status == "planned" and assignment.served_days is None

    # The portal's day moved to the period's last day: the unit records the three days.
    monkeypatch.setitem(app.config, "TODAY", period.ends_on)
    assert url in client.get(page).get_data(as_text=True)  # its attendance form
    assert post_form(client, url, {"served_days": "3"}, page=page).status_code == 302
    db.session.expire_all()
    assert (assignment.status, assignment.served_days) == ("served", 3)


def test_offers_count_from_the_portals_day(app, monkeypatch):
    intake = factories.intake(quota_total=1, quota_land=1)
    late = scene.application(intake, status=Status.SELECTED,
                             offer_deadline=date.today() + timedelta(days=10))
    waiting = scene.application(intake, status=Status.WAITLISTED, score=70)
    db.session.commit()
    day = date.today() + timedelta(days=40)
    monkeypatch.setitem(app.config, "TODAY", day.isoformat())  # as PORTAL_TODAY gives it

    result = app.test_cli_runner().invoke(args=["applications", "expire-offers"])
    assert "1 offer(s) expired." in result.output, result.output
    db.session.expire_all()
    assert db.session.get(Application, late.id).status == Status.OFFER_DECLINED
    moved = db.session.get(Application, waiting.id)
    assert moved.status == Status.SELECTED
    assert moved.offer_deadline == day + timedelta(days=intake.offer_days)


def test_production_refuses_a_fixed_day():
    with pytest.raises(RuntimeError, match="PORTAL_TODAY"):
        config.load({"ENV_NAME": "production", "TODAY": "2027-09-01"})
