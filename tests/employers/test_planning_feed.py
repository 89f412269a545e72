"""An enterprise's planning as a private address a calendar app subscribes to: made, renewed
and stopped by its HR users (the old address is a 404 at once), shown once, stored as a
hash, read without signing in, holding that enterprise's reservists only, never logged."""
from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import icalendar
import pytest

from portal.audit import AuditEvent
from portal.employers import planning_feed
from portal.employers.models import PlanningFeed
from portal.extensions import db
from tests.employers import helpers
from tests.employers.helpers import NUMBERS, employer, hr_user, signed_agreement
from tests.support.client import login, post_form


@pytest.fixture
def two_enterprises(app, calendar):
    bakery = employer(NUMBERS[0], "Bakkerij Janssens BV")
    hr = hr_user(bakery)
    an = helpers.reservist(first_name="An", last_name="Peeters")
    signed_agreement(bakery, hr=hr, reservist=an)
    garage = employer(NUMBERS[1], "Garage Dubois SRL")
    other_hr = hr_user(garage)
    bo = helpers.reservist(first_name="Bo", last_name="Claes")
    signed_agreement(garage, hr=other_hr, reservist=bo)
    soon = date.today() + timedelta(days=30)
    calendar.plan(an, soon, place="Kamp Elsenborn")
    calendar.plan(bo, soon, place="Kamp Beverlo")
    db.session.commit()
    return bakery, hr, garage, other_hr


def _page(bakery):
    return f"/employer/enterprises/{bakery.id}/planning/subscription"


def _make(client, bakery) -> str:
    """Make (or renew) the address on its page; the token the page shows once."""
    response = post_form(client, f"{_page(bakery)}/renew", page=_page(bakery))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return re.search(r'id="feed-link"[^>]* value="[^"]*/employer/planning/([A-Za-z0-9_-]+)\.ics"',
                     page).group(1)


def test_the_home_page_leads_to_the_address_which_is_shown_once(client, two_enterprises):
    bakery, hr, *_rest = two_enterprises
    login(client, hr)
    assert _page(bakery) in client.get("/employer/").get_data(as_text=True)
    token = _make(client, bakery)
    assert len(token) >= 43
    again = client.get(_page(bakery)).get_data(as_text=True)
    assert token not in again and "active since" in again
    stored = db.session.scalars(db.select(PlanningFeed.token_hash)).all()
    assert stored and token not in stored
    events = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action.like("employer.planning_feed%"))).all()
    assert events and all(token not in (e.details or "") for e in events)


def test_the_address_serves_that_enterprises_planning_only(client, two_enterprises):
    bakery, hr, *_rest = two_enterprises
    login(client, hr)
    token = _make(client, bakery)
    client.get("/logout")
    with client.session_transaction() as session:
        session.clear()
    response = client.get(f"/employer/planning/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    cal = icalendar.Calendar.from_ical(response.data)
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert len(summaries) == 1 and "An Peeters" in summaries[0]
    assert "Bo Claes" not in response.get_data(as_text=True)
    spreadsheet = client.get(f"/employer/planning/{token}.csv").get_data(as_text=True)
    assert "An Peeters" in spreadsheet and "Kamp Elsenborn" in spreadsheet
    assert "Bo Claes" not in spreadsheet and "Kamp Beverlo" not in spreadsheet


def test_renewing_or_stopping_ends_the_old_address_at_once(client, two_enterprises):
    bakery, hr, *_rest = two_enterprises
    login(client, hr)
    first = _make(client, bakery)
    second = _make(client, bakery)
    assert first != second
    assert client.get(f"/employer/planning/{first}.ics").status_code == 404
    assert client.get(f"/employer/planning/{second}.ics").status_code == 200
    response = post_form(client, f"{_page(bakery)}/revoke", page=_page(bakery))
    assert response.status_code == 302
    assert "no longer works" in client.get(_page(bakery)).get_data(as_text=True)
    assert client.get(f"/employer/planning/{second}.ics").status_code == 404
    assert client.get(f"/employer/planning/{second}.csv").status_code == 404


def test_another_enterprises_hr_user_cannot_see_make_or_stop_its_address(client,
                                                                         two_enterprises):
    bakery, hr, _garage, other_hr = two_enterprises
    token = planning_feed.renew(hr, bakery)
    db.session.commit()
    login(client, other_hr)
    assert client.get(_page(bakery)).status_code == 404
    for step in ("renew", "revoke"):
        response = post_form(client, f"{_page(bakery)}/{step}", page="/employer/")
        assert response.status_code == 404
    assert client.get(f"/employer/planning/{token}.ics").status_code == 200


def test_the_address_never_reaches_the_portals_logs(app, client, two_enterprises, caplog):
    bakery, hr, *_rest = two_enterprises
    caplog.set_level(logging.DEBUG)
    app.config["RESERVE_FEED_LIMIT"] = "2 per hour"
    try:
        token = planning_feed.renew(hr, bakery)
        db.session.commit()
        statuses = [client.get(f"/employer/planning/{token}.ics").status_code
                    for _ in range(3)]
        assert statuses == [200, 200, 429]
    finally:
        app.config["RESERVE_FEED_LIMIT"] = "60 per hour"
    assert caplog.records
    assert token not in caplog.text and planning_feed._hash(token) not in caplog.text
