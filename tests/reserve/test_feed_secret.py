"""The calendar address is a bearer secret: a long random token stored only as a hash,
renewed or stopped by its owner (the old address is a 404 at once), read with no-store, held
to a rate, never written to the portal's logs, and showing nothing but the owner's periods."""
from __future__ import annotations

import json
import logging
import re

import pytest

from portal.accounts.models import User
from portal.extensions import db
from portal.reserve import feed
from portal.reserve.models import CalendarFeed, EngagementStatus
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.client import login


@pytest.fixture
def reservist(app):
    unit = helpers.unit(name="Bataljon Bevrijding")
    engagement = helpers.engagement(factories.user(language="en"),
                                    status=EngagementStatus.ACTIVE, unit=unit)
    helpers.assignment(helpers.period(unit, place="Kamp Beverlo"), engagement)
    user = db.session.get(User, engagement.user_id)
    db.session.commit()
    return user


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _renew_on_the_page(client) -> str:
    """Make (or, after saying yes to what happens, renew) the address; the token shown."""
    page = client.get("/reserve/calendar").get_data(as_text=True)
    data = {"csrf_token": _csrf(page)}
    if 'href="/reserve/calendar/renew"' in page:
        confirm = client.get("/reserve/calendar/renew").get_data(as_text=True)
        assert "stops working at once" in confirm
        data = {"csrf_token": _csrf(confirm), "confirmed": "yes"}
    response = client.post("/reserve/calendar/renew", data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return re.search(r'id="feed-link"[^>]* value="[^"]*/reserve/feed/([A-Za-z0-9_-]+)\.ics"',
                     page).group(1)


def test_the_address_is_long_random_and_only_its_hash_is_stored(app, client, reservist):
    login(client, reservist)
    first = _renew_on_the_page(client)
    second = _renew_on_the_page(client)
    assert len(first) >= 43 and len(second) >= 43 and first != second  # 256 random bits
    stored = db.session.scalars(db.select(CalendarFeed.token_hash)).all()
    assert len(stored) == 2 and first not in stored and second not in stored


def test_the_fresh_address_never_crosses_the_session_cookie_in_clear(app, client, reservist):
    """The session cookie is signed, not encrypted: the address made by the post must not
    sit readable in it on its way to the page that shows it."""
    login(client, reservist)
    page = client.get("/reserve/calendar").get_data(as_text=True)
    client.post("/reserve/calendar/renew", data={"csrf_token": _csrf(page)})
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session")).value
    session = app.session_interface.get_signing_serializer(app).loads(cookie)
    shown = client.get("/reserve/calendar").get_data(as_text=True)
    token = re.search(r'value="[^"]*/reserve/feed/([A-Za-z0-9_-]+)\.ics"', shown).group(1)
    assert token not in cookie and token not in json.dumps(session, default=str)


def test_renewing_on_the_page_stops_the_old_address_at_once(app, client, reservist):
    login(client, reservist)
    old = _renew_on_the_page(client)
    anonymous = app.test_client()
    assert anonymous.get(f"/reserve/feed/{old}.ics").status_code == 200
    new = _renew_on_the_page(client)
    assert anonymous.get(f"/reserve/feed/{old}.ics").status_code == 404
    assert anonymous.get(f"/reserve/feed/{new}.ics").status_code == 200
    page = client.get("/reserve/calendar").get_data(as_text=True)
    client.post("/reserve/calendar/revoke", data={"csrf_token": _csrf(page)})
    assert anonymous.get(f"/reserve/feed/{new}.ics").status_code == 200  # not without a yes
    client.post("/reserve/calendar/revoke", data={"csrf_token": _csrf(page), "confirmed": "yes"})
    assert anonymous.get(f"/reserve/feed/{new}.ics").status_code == 404


def test_the_feed_is_never_stored_by_caches_or_sent_on_as_referrer(app, client, reservist):
    token = feed.renew(reservist)
    db.session.commit()
    response = client.get(f"/reserve/feed/{token}.ics")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers.get("X-Robots-Tag", "")


def test_the_feed_shows_the_owners_periods_and_nothing_personal(app, client, reservist):
    person = factories.person()
    person.user_id = reservist.id
    other = helpers.engagement(status=EngagementStatus.ACTIVE, unit=helpers.unit())
    helpers.assignment(helpers.period(db.session.get(type(other.unit), other.unit_id),
                                      place="Kamp Elsenborn"), other)
    token = feed.renew(reservist)
    db.session.commit()
    body = client.get(f"/reserve/feed/{token}.ics").get_data(as_text=True)
    assert "Kamp Beverlo" in body and "Bataljon Bevrijding" in body
    assert "Kamp Elsenborn" not in body
    for personal in (person.national_number, reservist.email, reservist.first_name,
                     reservist.last_name, token):
        assert personal not in body
    assert "ATTENDEE" not in body and "ORGANIZER" not in body


def test_one_address_is_read_at_most_at_its_rate(app, client, reservist):
    app.config["RESERVE_FEED_LIMIT"] = "3 per hour"
    try:
        token = feed.renew(reservist)
        other = feed.renew(factories.user())
        db.session.commit()
        statuses = [client.get(f"/reserve/feed/{token}.ics").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        # Another reservist's calendar (from the same address) is not held up.
        assert client.get(f"/reserve/feed/{other}.ics").status_code == 200
    finally:
        app.config["RESERVE_FEED_LIMIT"] = "60 per hour"


def test_guessing_addresses_is_stopped_without_stopping_a_real_one(app, client, reservist):
    app.config["RESERVE_FEED_MISS_LIMIT"] = "5 per hour"
    try:
        token = feed.renew(reservist)
        db.session.commit()
        guesses = [client.get(f"/reserve/feed/guess{n}.ics").status_code for n in range(7)]
        assert guesses == [404] * 5 + [429] * 2
        assert client.get(f"/reserve/feed/{token}.ics").status_code == 200
    finally:
        app.config["RESERVE_FEED_MISS_LIMIT"] = "120 per hour"


def test_the_address_never_reaches_the_portals_logs(app, client, reservist, caplog):
    """Reading, refusing, throttling, and a feed that fails to build (a damaged row): the
    logs name the feed by its number, never by its address."""
    caplog.set_level(logging.DEBUG)
    app.config["RESERVE_FEED_LIMIT"] = "2 per hour"
    propagate = app.config["PROPAGATE_EXCEPTIONS"]
    try:
        token = feed.renew(reservist)
        db.session.commit()
        for _ in range(3):
            client.get(f"/reserve/feed/{token}.ics")
        app.config["RESERVE_FEED_LIMIT"] = "60 per hour"
        app.config["PROPAGATE_EXCEPTIONS"] = False
        db.session.execute(db.text("UPDATE training_assignments SET status = 'damaged'"))
        db.session.commit()
        failed = client.get(f"/reserve/feed/{token}.ics")
        assert failed.status_code == 500
    finally:
        app.config["RESERVE_FEED_LIMIT"] = "60 per hour"
        app.config["PROPAGATE_EXCEPTIONS"] = propagate
    assert caplog.records, "the failure was logged"
    assert token not in caplog.text
    assert feed._hash(token) not in caplog.text


def test_the_page_tells_when_a_calendar_last_read_the_address(app, client, reservist):
    login(client, reservist)
    token = _renew_on_the_page(client)
    page = client.get("/reserve/calendar").get_data(as_text=True)
    assert "No calendar app has read your address yet" in page
    app.test_client().get(f"/reserve/feed/{token}.ics")
    page = client.get("/reserve/calendar").get_data(as_text=True)
    assert "Last read by a calendar app" in page
