"""Twenty identical requests at the same moment (a frantic double click, a retrying proxy,
twenty tabs) produce one record: one submitted application, one booking, one confirmed
decision. Each request runs in its own thread with its own client and session, released
together by a barrier; on PostgreSQL (CI) they truly run at once."""
from __future__ import annotations

import re

from portal.applications.intakes.models import Booking
from portal.applications.models import Application, ApplicationEvent, Status
from portal.extensions import db
from portal.letters.models import Letter
from tests.support import factories, races
from tests.support import review as rh
from tests.support.candidate import fill, ready_to_apply, start, step_data
from tests.support.client import session_key

N = 20
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _all_at_once(app, token: str, page: str, url: str, data: dict) -> list[int]:
    """N clients signed in with the same session token: each opens `page` for its CSRF
    token, then all POST `data` to `url` at once. Returns the status codes."""

    def one(client):
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        html = client.get(page).get_data(as_text=True)
        csrf = _TOKEN.search(html).group(1)
        return lambda: client.post(url, data={"csrf_token": csrf, **data}).status_code

    codes = races.requests_at_once(app, [one] * N)
    assert len(codes) == N
    return codes


def test_twenty_submits_at_once_submit_once(app, client, login_as):
    user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    fill(client, application_id, step_data(intake))
    version = db.session.get(Application, application_id).version
    token = session_key(user)
    db.session.remove()
    codes = _all_at_once(app, token, f"/my-application/{application_id}/check",
                         f"/my-application/{application_id}/submit", {"version": version})
    assert 500 not in codes
    assert db.session.get(Application, application_id).status == Status.SUBMITTED
    assert db.session.scalar(db.select(db.func.count()).select_from(ApplicationEvent)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Letter)) == 1


def test_twenty_bookings_at_once_book_once(app, login_as):
    user = login_as("citizen", language="en")
    intake = factories.intake()
    session = factories.info_session(intake)
    db.session.commit()
    token, user_id, session_id = session_key(user), user.id, session.id
    url = f"/apply/{intake.id}/sessions"
    db.session.remove()
    codes = _all_at_once(app, token, url, url, {"session_id": session_id})
    assert 500 not in codes
    assert db.session.scalar(db.select(db.func.count()).select_from(Booking).where(
        Booking.user_id == user_id)) == 1


def test_twenty_confirmations_of_one_decision_move_once(app):
    intake = factories.intake()
    proposer = factories.user("recruiter", password=None, language="en")
    confirmer = factories.user("recruiter", password=None, language="en")
    application = rh.application(intake, status=Status.TESTS_PASSED)
    decision = rh.decision(application, "reject", proposer)
    db.session.commit()
    app_id, version, token = application.id, application.version, session_key(confirmer)
    url = f"/review/decisions/{decision.id}/confirm"
    db.session.remove()
    codes = _all_at_once(app, token, f"/review/applications/{app_id}", url,
                         {"version": version})
    assert 500 not in codes
    assert db.session.get(Application, app_id).status == Status.REJECTED
    assert db.session.scalar(db.select(db.func.count()).select_from(ApplicationEvent)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Letter).where(
        Letter.kind == "decision")) == 1
