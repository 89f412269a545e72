"""The end of the service year: the question, reminders, the deadline, the career queue."""
from __future__ import annotations

from datetime import date, timedelta

from portal.applications.models import Status
from portal.extensions import db
from portal.reserve import year_end
from portal.reserve.models import ChoiceStatus, YearEndChoice
from tests.support import factories
from tests.support import review as rh
from tests.support.client import login, post_form
from tests.support.mail import outbox


def _asked(language="nl"):
    application = rh.application(factories.intake(), status=Status.IN_SERVICE,
                                 language=language)
    from portal.applications import workflow

    workflow.transition(application, "complete", None)
    db.session.commit()
    return application, db.session.scalar(db.select(YearEndChoice))


def test_reminders_go_out_before_the_deadline_once_per_threshold(app):
    _application, choice = _asked()
    runner = app.test_cli_runner()
    start = len(outbox())
    for offset in (0, 15, 16, 17, 27, 28):
        day = choice.asked_at.date() + timedelta(days=offset)
        runner.invoke(args=["reserve", "remind-choices", "--today", day.isoformat()])
    db.session.expire_all()
    assert choice.reminders_sent == 2  # 14 days before, then 3 days before
    subjects = [m["Subject"] for m in outbox()[start:]]
    assert len(subjects) == 2 and all("Herinnering" in s for s in subjects)


def test_past_the_deadline_the_participant_counts_as_left_and_may_still_apply(app, client):
    application, choice = _asked(language="fr")
    later = choice.deadline + timedelta(days=1)
    result = app.test_cli_runner().invoke(args=["reserve", "remind-choices", "--today",
                                                later.isoformat()])
    assert "1 choice(s) lapsed" in result.output
    db.session.expire_all()
    assert choice.status == ChoiceStatus.LAPSED
    assert db.session.get(type(application), application.id).status == Status.LEFT
    mail = outbox()[-1]
    assert mail["Content-Language"] == "fr" and "/reserve/apply" in mail.get_body(
        ("plain",)).get_content()
    user = db.session.get(type(factories.user()), application.user_id)
    login(client, user)
    assert client.get("/reserve/apply").status_code == 200


def test_a_career_choice_lands_in_the_recruiters_queue(app, client):
    application, choice = _asked()
    user = db.session.get(type(factories.user()), application.user_id)
    login(client, user)
    response = post_form(client, "/reserve/choice", {"option": "career", "confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert choice.status == ChoiceStatus.CAREER
    assert db.session.get(type(application), application.id).status == Status.CAREER
    recruiter = factories.user(role="recruiter")
    db.session.commit()
    login(client, recruiter)
    assert user.email in client.get("/staff/reserve/careers").get_data(as_text=True)
    post_form(client, f"/staff/reserve/careers/{choice.id}/take-up", {},
              page="/staff/reserve/careers")
    db.session.expire_all()
    assert choice.handled_by_id == recruiter.id
    assert year_end.career_queue() == []


def test_leaving_is_recorded(app, client):
    application, choice = _asked()
    login(client, db.session.get(type(factories.user()), application.user_id))
    post_form(client, "/reserve/choice", {"option": "leave", "confirm": "yes"})
    db.session.expire_all()
    assert choice.status == ChoiceStatus.LEFT


def test_close_years_only_completes_years_that_ended(app):
    young = rh.application(factories.intake(start_date=date.today() - timedelta(days=100)),
                           status=Status.IN_SERVICE)
    assert year_end.close_years() == 0
    assert young.status == Status.IN_SERVICE
    assert year_end.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert year_end.add_months(date(2026, 3, 15), -12) == date(2025, 3, 15)


def test_after_the_deadline_applying_is_a_direct_application(app):
    from portal.reserve import engagements

    application, choice = _asked()
    user = db.session.get(type(factories.user()), application.user_id)
    from tests.support import reserve as helpers

    unit = helpers.unit()
    request = engagements.Request(pillar="combat", days_per_year=10, commitment_months=24,
                                  unit_ids=[unit.id], postcode="2000", street="Meir 1")
    engagement = engagements.apply(user, request,
                                   today=choice.deadline + timedelta(days=2))
    assert engagement.origin == "direct" and choice.status == ChoiceStatus.OPEN
