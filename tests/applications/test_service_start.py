"""An accepted place becomes service without a shell: the daily command on the intake's
start date, or a recruiter recording the first day's attendance; both audited, both told
to the participant, whose page then says since when they are in service."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date

from portal import i18n
from portal.applications.models import Application, Status
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories
from tests.support import review as rh
from tests.support.client import login, post_form
from tests.support.mail import outbox


def _accepted(start: date, language="nl") -> Application:
    application = rh.application(factories.intake(start_date=start),
                                 status=Status.OFFER_ACCEPTED, language=language)
    db.session.commit()
    return application


def _audits(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_the_daily_command_starts_the_service_year_on_the_start_date(app, client):
    start = date.today() + timedelta(days=7)
    application = _accepted(start, language="de")
    waiting = _accepted(start + timedelta(days=30))
    runner = app.test_cli_runner()
    before = runner.invoke(args=["applications", "start-service",
                                 "--today", (start - timedelta(days=1)).isoformat()])
    assert "0 service year(s) started." in before.output
    mails = len(outbox())
    result = runner.invoke(args=["applications", "start-service", "--today", start.isoformat()])
    assert result.exit_code == 0 and "1 service year(s) started." in result.output
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.IN_SERVICE
    assert db.session.get(Application, waiting.id).status == Status.OFFER_ACCEPTED
    [audit] = _audits("application.start_service")
    assert audit.actor_id is None and "service year started" in audit.details
    # The participant is told, in their language.
    [mail] = outbox()[mails:]
    assert mail["Content-Language"] == "de" and "Dienstjahr" in mail["Subject"]
    # Idempotent: a second run the same day changes nothing and sends nothing.
    again = runner.invoke(args=["applications", "start-service", "--today", start.isoformat()])
    assert "0 service year(s) started." in again.output and len(outbox()) == mails + 1
    # The participant's page says since when.
    login(client, db.session.get(type(factories.user()), application.user_id))
    page = client.get(f"/my-application/{application.id}").get_data(as_text=True)
    with i18n.locale("de"):
        since = format_date(start, "long")
    assert "Im Dienst seit " + since in page


def test_a_recruiter_records_the_first_days_attendance(app, client):
    application = _accepted(date.today())
    recruiter = factories.user(role="recruiter")
    db.session.commit()
    login(client, recruiter)
    url = f"/review/applications/{application.id}"
    page = client.get(url).get_data(as_text=True)
    assert "/first-day" in page
    response = post_form(client, f"{url}/first-day", {"version": str(application.version)},
                         page=url, follow_redirects=True)
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.IN_SERVICE
    [audit] = _audits("application.start_service")
    assert audit.actor_id == recruiter.id and "present on the first day" in audit.details
    assert "Aanwezig op de eerste dag" in response.get_data(as_text=True)


def test_attendance_cannot_be_recorded_before_the_start_date(app, client):
    start = date.today() + timedelta(days=10)
    application = _accepted(start)
    recruiter = factories.user(role="recruiter")
    db.session.commit()
    login(client, recruiter)
    url = f"/review/applications/{application.id}"
    response = post_form(client, f"{url}/first-day", {"version": str(application.version)},
                         page=url, follow_redirects=True)
    with i18n.locale("nl"):
        day = format_date(start, "long")
    assert day in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.OFFER_ACCEPTED
