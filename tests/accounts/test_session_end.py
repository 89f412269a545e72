"""When a session ends for lack of activity: the warning's "stay signed in" request, and a
form sent after the end that is kept for the same account's next login."""
from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import g

from portal.accounts.models import UserSession
from portal.applications import workflow
from portal.applications.models import Application, Status
from portal.drafts import FormDraft
from portal.extensions import db
from portal.models import utcnow
from portal.reserve.models import Engagement
from tests.support import factories
from tests.support.client import csrf_token, login, post_form
from tests.support.review import confirm_waitlisting

RESERVE_FORM = {
    "pillar": "combat", "rank_category": "soldier", "days_per_year": "9",
    "commitment_months": "24", "availability": "part_time", "street": "Kerkstraat 7",
    "postcode": "9000", "motivation": "I repair radios in my spare time",
}


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _records(user):
    return db.session.scalars(db.select(UserSession).where(UserSession.user_id == user.id)
                              .order_by(UserSession.id)).all()


def _idle(user, minutes: int = 31) -> None:
    """Every session of `user` last used `minutes` ago."""
    for record in _records(user):
        record.last_seen_at = utcnow() - timedelta(minutes=minutes)
    db.session.commit()


def _log_in_again(client, user, location: str):
    """The login form the redirect led to, sent with the user's password."""
    page = client.get(location)
    assert page.status_code == 200
    return post_form(client, location, {"email": user.email, "password": factories.PASSWORD})


def _login_then(response) -> str:
    """The page a redirect to login leads back to."""
    assert response.status_code == 302
    parts = urlsplit(response.location)
    assert parts.path == "/login"
    return parse_qs(parts.query)["next"][0]


def _send_after_the_idle_limit(client, user, url: str, data: dict):
    """Open `url`, stay away past the idle limit, then send the form."""
    token = csrf_token(client, url)
    _idle(user)
    return client.post(url, data={"csrf_token": token, **data})


def test_a_reserve_application_sent_after_the_idle_limit_comes_back_after_login(client):
    user = factories.user(language="en")
    db.session.commit()
    login(client, user)
    response = _send_after_the_idle_limit(client, user, "/reserve/apply", RESERVE_FORM)
    assert response.status_code == 302
    assert _login_then(response) == "/reserve/apply"
    assert db.session.scalar(db.select(Engagement)) is None  # nothing was filed
    # Kept sealed: what was typed is not readable in the table.
    [draft] = db.session.scalars(db.select(FormDraft)).all()
    assert draft.user_id == user.id and "radios" not in draft.fields
    assert "Kerkstraat" not in draft.fields

    login_page = client.get(response.location).get_data(as_text=True)
    assert "what you typed is kept for you" in login_page
    back = _log_in_again(client, user, response.location)
    assert back.status_code == 302 and back.location == "/reserve/apply"
    page = client.get("/reserve/apply").get_data(as_text=True)
    assert "We kept what you typed; check and send again." in page
    assert 'value="Kerkstraat 7"' in page and "I repair radios in my spare time" in page
    assert re.search(r'value="combat"[^>]*checked|checked[^>]*value="combat"', page)
    assert db.session.scalar(db.select(FormDraft)) is None  # given back once


def test_what_one_account_typed_is_never_shown_to_another_that_logs_in(client):
    owner = factories.user(language="en")
    other = factories.user(language="en")
    db.session.commit()
    login(client, owner)
    response = _send_after_the_idle_limit(client, owner, "/reserve/apply", RESERVE_FORM)
    back = _log_in_again(client, other, response.location)
    assert back.location == "/reserve/apply"
    page = client.get("/reserve/apply").get_data(as_text=True)
    assert "Kerkstraat 7" not in page and "radios" not in page
    assert "We kept what you typed" not in page
    # Nobody can reach it any more: it is gone.
    assert db.session.scalar(db.select(FormDraft)) is None


def _selected_candidate(client):
    user = factories.user(language="en")
    intake = factories.intake()
    application = Application(intake_id=intake.id, user_id=user.id, reference="DJ-2026-000001",
                              status=Status.WAITLISTED, component="air",
                              answers=json.dumps({}), first_name="Lotte", last_name="Peeters")
    db.session.add(application)
    db.session.flush()
    confirm_waitlisting(application)
    workflow.transition(application, "select", None, "test set-up")
    db.session.commit()
    login(client, user)
    return user, application.id


def _version(client, url: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"',
                     client.get(url).get_data(as_text=True)).group(1)


def test_accepting_the_offer_after_the_idle_limit_is_asked_again_after_login(client):
    user, application_id = _selected_candidate(client)
    url = f"/my-application/{application_id}/offer"
    version = _version(client, url)
    response = _send_after_the_idle_limit(client, user, url,
                                          {"version": version, "answer": "accept"})
    assert _login_then(response) == url
    back = _log_in_again(client, user, response.location)
    assert back.location == url
    page = client.get(url).get_data(as_text=True)
    assert "We kept what you typed; check and send again." in page
    assert "Your answer “I accept my place” was not sent" in page
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.SELECTED
    post_form(client, url, {"version": _version(client, url), "answer": "accept"})
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.OFFER_ACCEPTED


def test_a_confirmed_decline_after_the_idle_limit_shows_the_confirmation_again(client):
    user, application_id = _selected_candidate(client)
    url = f"/my-application/{application_id}/offer"
    response = _send_after_the_idle_limit(
        client, user, url, {"version": _version(client, url), "answer": "decline",
                            "confirm": "yes"})
    _log_in_again(client, user, response.location)
    page = client.get(url).get_data(as_text=True)
    assert "Yes, decline my place" in page and "We kept what you typed" in page
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.SELECTED


def test_stay_signed_in_extends_the_session(client):
    user = factories.user(language="en")
    db.session.commit()
    login(client, user)
    page = client.get("/account").get_data(as_text=True)
    assert "Stay signed in" in page and 'data-warn="300"' in page
    token = re.search(r'action="/session/stay"[^>]*>\s*<input[^>]*value="([^"]+)"',
                      page).group(1)
    _idle(user, minutes=29)
    response = client.post("/session/stay", data={"csrf_token": token},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert 29 * 60 < response.get_json()["left"] <= 30 * 60
    [record] = _records(user)
    assert utcnow() - record.last_seen_at < timedelta(minutes=1)
    # Without script the form leads back to the page, still signed in.
    _idle(user, minutes=29)
    response = client.post("/session/stay", data={"csrf_token": token, "next": "/account"})
    assert response.status_code == 303 and response.location == "/account"
    assert "You are still signed in." in client.get("/account").get_data(as_text=True)


def test_stay_signed_in_needs_the_forms_csrf_token(client):
    user = factories.user(language="en")
    db.session.commit()
    login(client, user)
    _idle(user, minutes=29)
    response = client.post("/session/stay", headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.get_json() is None
    assert "Your session has expired" in response.get_data(as_text=True)


def test_no_warning_for_visitors_who_are_not_signed_in(client):
    assert "session-warning" not in client.get("/login").get_data(as_text=True)


def test_a_form_with_a_stale_token_after_the_idle_limit_is_kept_too(client):
    user = factories.user(language="en")
    db.session.commit()
    login(client, user)
    client.get("/reserve/apply")
    _idle(user)
    # The test's app context outlives requests, and the CSRF check runs before the fixture
    # that forgets the user Flask-Login cached in g.
    g.pop("_login_user", None)
    response = client.post("/reserve/apply", data={"csrf_token": "stale", **RESERVE_FORM})
    assert _login_then(response) == "/reserve/apply"
    _log_in_again(client, user, response.location)
    assert 'value="Kerkstraat 7"' in client.get("/reserve/apply").get_data(as_text=True)


def test_any_other_form_sent_after_the_idle_limit_says_it_was_not_sent(client):
    user = factories.user(language="en")
    db.session.commit()
    login(client, user)
    token = csrf_token(client, "/account")
    _idle(user)
    response = client.post("/account/sessions/end-all", data={"csrf_token": token},
                           headers={"Referer": "http://localhost/account"})
    assert _login_then(response) == "/account"  # the form's page, not a POST-only address
    page = client.get(response.location).get_data(as_text=True)
    assert "Your session ended before this form was sent, so nothing was sent." in page
