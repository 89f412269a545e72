"""A convoked candidate moves to another selection day from the page of their
application, up to the intake's deadline: the old place is freed, a new convocation that
replaces the earlier one and a message go out, and staff see the move."""
from __future__ import annotations

import os
import re
from datetime import date, timedelta
from functools import partial

import pytest

from portal.accounts.models import User
from portal.applications.intakes import reschedule
from portal.applications.intakes import services as intake_services
from portal.applications.models import Application, Convocation, Status
from portal.audit import AuditEvent
from portal.extensions import db
from portal.letters.models import Letter
from portal.notifications.models import Notification
from tests.support import factories, races
from tests.support import review as h
from tests.support.client import login, post_form, version_on
from tests.support.letters import pdf_text


def _scene(login_as, days_ahead: int = 20, reschedule_days: int = 3):
    """A signed-in candidate convoked to day `held`; `free` has one place, `full` none."""
    user = login_as("citizen", language="en")
    intake = factories.intake(reschedule_days=reschedule_days)
    held = h.selection_day(intake, capacity=2, days_ahead=days_ahead)
    free = h.selection_day(intake, capacity=1, days_ahead=days_ahead + 5)
    full = h.selection_day(intake, capacity=1, days_ahead=days_ahead + 6)
    application = h.application(intake, status=Status.TESTS_SCHEDULED, user=user,
                                language="en")
    h.convoke(application, held)
    h.convoke(h.application(intake, status=Status.TESTS_SCHEDULED), full)
    db.session.commit()
    return user, application, held, free, full


def _taken(intake) -> dict[int, int]:
    return {day.id: n for day, n in intake_services.selection_days(intake)}


def test_the_application_page_leads_to_the_days_with_places_left(client, login_as):
    _user, application, held, free, full = _scene(login_as)
    page = client.get(f"/my-application/{application.id}").get_data(as_text=True)
    assert "Choose another selection day" in page
    assert (held.day - timedelta(days=3)).strftime("%Y") in page
    choose = client.get(f"/my-application/{application.id}/selection-day")
    text = " ".join(choose.get_data(as_text=True).split())
    assert choose.status_code == 200
    assert free.place in text and "1 place left" in text
    # The full day is listed as full, not offered; the day held is not offered either.
    offered = {int(v) for v in re.findall(r'name="selection_day"[^>]*value="(\d+)"',
                                          text)}
    assert offered == {free.id}
    assert "Full selection days" in text


def test_moving_frees_the_old_place_and_sends_a_new_convocation_and_a_message(
        client, login_as):
    _user, application, held, free, _full = _scene(login_as)
    url = f"/my-application/{application.id}/selection-day"
    response = post_form(client, url, {"selection_day": free.id,
                                       "version": version_on(client, url)},
                         follow_redirects=True)
    text = " ".join(response.get_data(as_text=True).split())
    assert "Your selection day is now" in text and free.place in text
    db.session.expire_all()
    convocation = db.session.scalar(db.select(Convocation).where(
        Convocation.application_id == application.id))
    assert convocation.selection_day_id == free.id
    taken = _taken(application.intake)
    assert taken[held.id] == 0 and taken[free.id] == 1
    letter = db.session.scalars(db.select(Letter).where(
        Letter.kind == "convocation", Letter.subject_id == str(application.id))).one()
    letter_text = " ".join(pdf_text(letter.pdf).split())
    assert free.place in letter_text
    assert "Cette convocation remplace celle que nous t'avons envoyée" in letter_text
    assert db.session.scalar(db.select(Notification).where(
        Notification.application_id == application.id,
        Notification.kind == "convocation_changed")) is not None
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "convocation.moved"))
    assert event.object_id == str(application.id)
    assert f'"to_day": {free.id}' in event.details and f'"from_day": {held.id}' in event.details
    # The recruiter sees the move on the application's page.
    login(client, factories.user("recruiter", language="en"))
    db.session.commit()
    page = " ".join(client.get(f"/review/applications/{application.id}")
                    .get_data(as_text=True).split())
    assert "the candidate moved from the selection day of" in page


def test_a_full_day_is_refused_with_its_reason(client, login_as):
    _user, application, held, _free, full = _scene(login_as)
    url = f"/my-application/{application.id}/selection-day"
    response = post_form(client, url, {"selection_day": full.id,
                                       "version": version_on(client, url)})
    assert response.status_code == 400
    assert "This selection day is full. Choose another one." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(Convocation.selection_day_id).where(
        Convocation.application_id == application.id)) == held.id


def test_the_last_place_goes_to_one_candidate_only(client, login_as):
    _user, application, _held, free, _full = _scene(login_as)
    other = h.application(application.intake, status=Status.TESTS_SCHEDULED, language="en")
    h.convoke(other, _held)
    db.session.commit()
    url = f"/my-application/{application.id}/selection-day"
    post_form(client, url, {"selection_day": free.id, "version": version_on(client, url)})
    login(client, db.session.get(User, other.user_id))
    # Shown while the place was free: the page is stale when it is sent.
    url, status_page = f"/my-application/{other.id}/selection-day", f"/my-application/{other.id}"
    response = post_form(client, url, {"selection_day": free.id,
                                       "version": str(other.version)},
                         page=status_page)
    assert "This selection day is full" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _taken(application.intake)[free.id] == 1


def test_after_the_deadline_the_candidate_is_sent_to_the_messages_instead(client, login_as):
    _user, application, _held, free, _full = _scene(login_as, days_ahead=2,
                                                     reschedule_days=3)
    page = client.get(f"/my-application/{application.id}").get_data(as_text=True)
    assert "Choose another selection day" not in page
    url = f"/my-application/{application.id}/selection-day"
    assert client.get(url).status_code == 302
    response = post_form(client, url, {"selection_day": free.id, "version": "1"},
                         page=f"/my-application/{application.id}", follow_redirects=True)
    assert "It is too late to choose another selection day" in response.get_data(as_text=True)


def test_no_one_moves_someone_elses_convocation(client, login_as):
    _user, application, _held, free, _full = _scene(login_as)
    login_as("citizen", language="en")
    url = f"/my-application/{application.id}/selection-day"
    assert client.get(url).status_code == 404


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                    reason="row locks are proven on PostgreSQL (set TEST_DATABASE_URL)")
def test_two_candidates_moving_to_the_last_place_at_once_never_overfill_it(app):
    intake = factories.intake()
    held = h.selection_day(intake, capacity=5, days_ahead=20)
    last = h.selection_day(intake, capacity=1, days_ahead=25)
    candidates = [h.application(intake, status=Status.TESTS_SCHEDULED, language="en")
                  for _ in range(2)]
    for candidate in candidates:
        h.convoke(candidate, held)
    db.session.commit()
    ids = [(c.id, c.user_id) for c in candidates]

    def attempt(application_id: int, user_id: int):
        application = db.session.get(Application, application_id)
        user = db.session.get(User, user_id)

        def move():
            reschedule.move(application, last.id, user, date.today(), application.version)
            return "moved"
        return move

    outcomes = races.at_once(app, [partial(attempt, *pair) for pair in ids])
    assert sorted(outcomes) == sorted(["moved",
                                       "This selection day is full. Choose another one."])
    db.session.expire_all()
    assert _taken(intake)[last.id] == 1 and _taken(intake)[held.id] == 1
