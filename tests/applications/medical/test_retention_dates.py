"""The medical page says when the retention schedule deletes the health answers and the
medical reason, from the configured days, and the purge keeps that date."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babel.dates import format_date

from portal.applications import answers
from portal.applications import privacy as application_privacy
from portal.applications.models import Application, ResultKind, Status, TestResult
from portal.extensions import db
from portal.privacy import services as privacy
from tests.support import factories
from tests.support import review as h
from tests.support.client import login

HEALTH = {"chronic_condition": "yes", "medication": "no", "recent_injury": "no",
          "sport_limits": "no"}
CHANGED = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _scene():
    intake = factories.intake()
    app_ = h.application(intake, status=Status.TESTS_SCHEDULED)
    answers.store(app_, {"preferences": {"choice_1": "land"}, "health": HEALTH})
    h.convoke(app_, h.selection_day(intake))
    doctor = factories.user("medical_staff", language="en")
    db.session.commit()
    h.medically_fit(app_, fit=False, reason="Knee not healed")
    return app_, doctor


def _section(client, app_id) -> str:
    page = client.get(f"/medical/applications/{app_id}").get_data(as_text=True)
    return page.split('id="retention"')[1].split("</section>")[0]


def test_before_the_tests_are_concluded_the_date_is_not_fixed_and_the_days_are_said(
        app, client):
    app.config["RETENTION_DAYS"] = {**app.config["RETENTION_DAYS"], "health_answers": 45}
    app_, doctor = _scene()
    login(client, doctor)
    section = _section(client, app_.id)
    assert "are deleted 45 days after the application's last status change" in section
    assert section.count("Not fixed yet") == 2
    assert "fixed once the tests are concluded or the application is withdrawn: 45 days" \
        in section


def test_once_the_tests_are_past_the_date_follows_the_configured_days(app, client):
    app_, doctor = _scene()
    app_ = db.session.get(Application, app_.id)
    app_.status, app_.status_changed_at = Status.TESTS_PASSED, CHANGED
    db.session.commit()
    login(client, doctor)
    for days in (90, 30):
        app.config["RETENTION_DAYS"] = {**app.config["RETENTION_DAYS"], "health_answers": days}
        on = format_date((CHANGED + timedelta(days=days)).date(), "long", locale="en")
        section = _section(client, app_.id)
        assert f'<dd id="health-deleted">{on}</dd>' in section
        assert f'<dd id="reason-deleted">{on}</dd>' in section
        assert f"deleted {days} days after" in section


def test_the_purge_deletes_on_the_date_shown(app):
    app.config["RETENTION_DAYS"] = {**app.config["RETENTION_DAYS"], "health_answers": 30}
    app_, _doctor = _scene()
    app_ = db.session.get(Application, app_.id)
    app_.status, app_.status_changed_at = Status.TESTS_PASSED, CHANGED
    db.session.commit()
    on = application_privacy.health_deletion_date(app_, app.config["RETENTION_DAYS"])
    assert on == (CHANGED + timedelta(days=30)).date()
    privacy.purge(now=datetime.combine(on, CHANGED.timetz()) - timedelta(minutes=1))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Application, app_.id).health_answers is not None
    privacy.purge(now=datetime.combine(on, CHANGED.timetz()) + timedelta(minutes=1))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Application, app_.id).health_answers is None
    reason = db.session.scalar(db.select(TestResult.medical_reason).where(
        TestResult.application_id == app_.id, TestResult.kind == ResultKind.MEDICAL))
    assert reason is None


def test_a_closed_file_that_goes_sooner_takes_its_health_answers_with_it(app):
    days = {**app.config["RETENTION_DAYS"], "health_answers": 90, "applications_closed": 20}
    app_ = Application(status=Status.REJECTED, status_changed_at=CHANGED)
    assert application_privacy.health_deletion_date(app_, days) == (
        CHANGED + timedelta(days=20)).date()
    app_.status = Status.TESTS_SCHEDULED
    assert application_privacy.health_deletion_date(app_, days) is None
