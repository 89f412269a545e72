"""A selected candidate accepts or declines the offer by its deadline."""
from __future__ import annotations

import json
from datetime import date, timedelta

from portal.applications import workflow
from portal.applications.models import Application, ApplicationEvent, Status
from portal.extensions import db
from tests.support import factories
from tests.support.client import post_form as post
from tests.support.client import version_on
from tests.support.review import confirm_waitlisting


def _selected(login_as, deadline_in_days: int = 5, waiting: bool = False):
    """A signed-in candidate whose application the portal selected from the waitlist."""
    user = login_as("citizen", language="en")
    intake = factories.intake()
    application = Application(intake_id=intake.id, user_id=user.id, reference="DJ-2026-000001",
                              status=Status.WAITLISTED, component="air",
                              answers=json.dumps({}), first_name="Lotte", last_name="Peeters")
    db.session.add(application)
    db.session.flush()
    confirm_waitlisting(application)
    workflow.transition(application, "select", None, "test set-up")
    application.offer_deadline = date.today() + timedelta(days=deadline_in_days)
    next_one = None
    if waiting:
        other = factories.user()
        next_one = Application(intake_id=intake.id, user_id=other.id,
                               reference="DJ-2026-000002", status=Status.WAITLISTED,
                               component="air", waitlist_rank=1)
        db.session.add(next_one)
        db.session.flush()
        confirm_waitlisting(next_one)
    db.session.commit()
    return application.id, next_one.id if next_one else None


def test_the_candidate_accepts_the_offer(client, login_as):
    application_id, _ = _selected(login_as)
    status_page = client.get(f"/my-application/{application_id}").get_data(as_text=True)
    assert "Offered a place" in status_page and "Answer the offer" in status_page
    url = f"/my-application/{application_id}/offer"
    response = post(client, url, {"version": version_on(client, url), "answer": "accept"},
                    follow_redirects=True)
    assert "you accepted the offer" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.OFFER_ACCEPTED


def test_declining_gives_the_place_to_the_next_on_the_waitlist(client, login_as):
    application_id, next_id = _selected(login_as, waiting=True)
    url = f"/my-application/{application_id}/offer"
    version = version_on(client, url)
    response = post(client, url, {"version": version, "answer": "decline", "confirm": "yes"},
                    follow_redirects=True)
    assert "You declined the offer." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.OFFER_DECLINED
    assert db.session.get(Application, next_id).status == Status.SELECTED
    # The same answer posted twice changes nothing more.
    post(client, url, {"version": version, "answer": "decline"},
         page=f"/my-application/{application_id}")
    assert len(db.session.scalars(db.select(ApplicationEvent).where(
        ApplicationEvent.action == "decline_offer")).all()) == 1


def test_an_offer_cannot_be_answered_after_its_deadline(client, login_as):
    application_id, _ = _selected(login_as, deadline_in_days=-1)
    url = f"/my-application/{application_id}/offer"
    page = client.get(url).get_data(as_text=True)
    assert "The deadline to answer this offer has passed." in page
    version = db.session.get(Application, application_id).version
    response = post(client, url, {"version": version, "answer": "accept"},
                    page=f"/my-application/{application_id}", follow_redirects=True)
    assert "The deadline to answer this offer has passed." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.SELECTED


def test_an_offer_answered_from_a_stale_page_is_refused(client, login_as):
    application_id, _ = _selected(login_as)
    url = f"/my-application/{application_id}/offer"
    stale = int(version_on(client, url)) - 1
    response = post(client, url, {"version": stale, "answer": "accept"}, follow_redirects=True)
    assert "changed by someone else meanwhile" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.SELECTED


def test_a_selected_candidate_who_withdraws_frees_the_place_for_the_waitlist(client, login_as):
    application_id, next_id = _selected(login_as, waiting=True)
    url = f"/my-application/{application_id}/withdraw"
    response = post(client, url, {"version": version_on(client, url)}, follow_redirects=True)
    assert "Your application is withdrawn." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.WITHDRAWN
    assert db.session.get(Application, next_id).status == Status.SELECTED
