"""Adjustments on the selection day: a convoked candidate asks from their application's
page until the day before; the request is encrypted at rest, shown only on that day's list
to its staff (each look audited), never to another candidate or another day; it goes with
the health answers once the tests are past."""
from __future__ import annotations

from datetime import timedelta

from portal.accounts.models import User
from portal.applications.adjustments import Adjustment
from portal.applications.models import Status
from portal.applications.privacy import purge_health
from portal.audit import AuditEvent
from portal.extensions import db
from portal.privacy import services as privacy
from tests.support import factories
from tests.support import review as rh
from tests.support.client import login
from tests.support.client import post_form as post


def _convoked(days_ahead=14):
    intake = factories.intake()
    day = rh.selection_day(intake, days_ahead=days_ahead)
    application = rh.application(intake, status=Status.TESTS_SCHEDULED, language="en",
                                 first_name="Lina", last_name="Peeters")
    rh.convoke(application, day)
    db.session.commit()
    return intake, day, application


def _candidate(client, application):
    user = db.session.get(User, application.user_id)
    user.language = "en"
    db.session.commit()
    login(client, user)
    return user


def test_a_convoked_candidate_asks_and_the_days_staff_see_it(client):
    intake, day, application = _convoked()
    other_intake_day = rh.selection_day(intake, days_ahead=20)
    db.session.commit()
    _candidate(client, application)
    status = client.get(f"/my-application/{application.id}").get_data(as_text=True)
    url = f"/my-application/{application.id}/adjustments"
    assert f'href="{url}"' in status and "step-free access" in status

    response = post(client, url, {"kinds": ["reading", "hearing"],
                                  "details": "I read slowly; please allow extra time."},
                    follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "the staff of your selection day will see it" in page
    assert "You asked for an adjustment on your selection day." in page
    stored = db.session.scalar(db.select(Adjustment))
    assert stored.kind_list == ["reading", "hearing"]
    assert "slowly" not in stored.details  # encrypted at rest
    assert stored.details_text == "I read slowly; please allow extra time."

    staff = factories.user("recruiter", language="en")
    db.session.commit()
    login(client, staff)
    days = client.get(f"/review/intakes/{intake.id}/selection-days").get_data(as_text=True)
    assert f'href="/selection-days/{day.id}/adjustments"' in days
    assert f'href="/selection-days/{other_intake_day.id}/adjustments"' not in days
    listing = client.get(f"/selection-days/{day.id}/adjustments").get_data(as_text=True)
    assert "Lina Peeters" in listing and "extra time for the computer tests" in listing
    assert "I read slowly" in listing
    empty = client.get(f"/selection-days/{other_intake_day.id}/adjustments")
    assert "Lina" not in empty.get_data(as_text=True)
    looks = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "selection_day.adjustments_viewed")).all()
    assert len(looks) == 2 and looks[0].actor_id == staff.id

    # The application's page for recruiters does not show it.
    review_page = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert "I read slowly" not in review_page


def test_no_one_else_sees_or_asks(client):
    _intake, day, application = _convoked()
    stranger = factories.user("citizen", language="en")
    unit_staff = factories.user("unit_staff", language="en")
    employer = factories.user("employer", language="en")
    db.session.commit()
    login(client, stranger)
    assert client.get(f"/my-application/{application.id}/adjustments").status_code == 404
    assert client.get(f"/selection-days/{day.id}/adjustments").status_code == 403
    for user in (unit_staff, employer):
        login(client, user)
        assert client.get(f"/selection-days/{day.id}/adjustments").status_code == 403


def test_asking_ends_the_day_before_and_bad_input_keeps_what_was_stored(app, client):
    _intake, day, application = _convoked(days_ahead=1)
    _candidate(client, application)
    url = f"/my-application/{application.id}/adjustments"
    post(client, url, {"kinds": ["mobility"], "details": ""})
    for bad in ({"kinds": ["teleport"]}, {"kinds": ["sight"], "details": "x" * 1001}):
        response = post(client, url, bad)
        assert response.status_code == 400
        assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Adjustment)).kind_list == ["mobility"]

    day.day = day.day - timedelta(days=1)  # the selection day is today: too late to ask
    db.session.commit()
    response = client.get(url, follow_redirects=True)
    assert "until the day before your selection day" in response.get_data(as_text=True)
    assert 'href="' + url not in client.get(
        f"/my-application/{application.id}").get_data(as_text=True)


def test_withdrawn_exported_and_erased_with_the_health_answers(app, client):
    _intake, _day, application = _convoked()
    user = _candidate(client, application)
    url = f"/my-application/{application.id}/adjustments"
    post(client, url, {"kinds": ["sight"], "details": "Large print please."})
    exported = privacy.collect(user)["applications"]["applications"][0]["adjustments"]
    assert exported == {"kinds": ["Sight: large print, someone to read out the questions"],
                        "details": "Large print please."}
    post(client, url, {"kinds": [], "details": ""})
    assert db.session.scalar(db.select(db.func.count(Adjustment.id))) == 0

    post(client, url, {"kinds": ["sight"], "details": ""})
    application.status = Status.TESTS_PASSED
    application.status_changed_at = application.status_changed_at - timedelta(days=400)
    db.session.commit()
    assert purge_health(application.status_changed_at + timedelta(days=1), None, False) == 1
    assert db.session.scalar(db.select(db.func.count(Adjustment.id))) == 0
