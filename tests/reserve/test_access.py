"""Another reservist's engagement, year, proof, calendar or feed is a 404; a revoked feed
token is a 404; each role reaches only its own Reserve pages."""
from __future__ import annotations

import re
from io import BytesIO

import pytest

from portal.extensions import db
from portal.reserve import feed, proofs
from portal.reserve.models import EngagementStatus
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.client import csrf_token, login
from tests.support.reserve import PDF


@pytest.fixture
def two_reservists(app):
    unit = helpers.unit()
    mine = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    theirs = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    owner = db.session.get(type(factories.user()), theirs.user_id)
    proof = proofs.save(theirs, owner, "cert.pdf", PDF)
    assignment = helpers.assignment(helpers.period(unit), theirs)
    db.session.commit()
    me = db.session.get(type(owner), mine.user_id)
    return me, theirs, proof, assignment


def test_someone_elses_things_are_not_found(app, client, two_reservists):
    me, theirs, proof, assignment = two_reservists
    login(client, me)
    assert client.get(f"/reserve/engagements/{theirs.id}").status_code == 404
    assert client.get(f"/reserve/proofs/{proof.id}").status_code == 404
    assert client.get(f"/reserve/assignments/{assignment.id}/swap").status_code == 404
    token = csrf_token(client, "/reserve/calendar")
    assert client.post(f"/reserve/assignments/{assignment.id}/confirm",
                       data={"csrf_token": token}).status_code == 404
    assert client.post(f"/reserve/engagements/{theirs.id}/proofs",
                       data={"csrf_token": token, "file": (BytesIO(PDF), "x.pdf")},
                       content_type="multipart/form-data").status_code == 404
    # My own year never lists their periods.
    assert "Kamp Beverlo" not in client.get("/reserve/year").get_data(as_text=True)


def test_unit_staff_of_another_unit_and_employers_do_not_see_the_proof(app, client,
                                                                       two_reservists):
    _me, _theirs, proof, assignment = two_reservists
    for role in ("unit_staff", "employer"):
        login(client, factories.user(role=role))
        db.session.commit()
        assert client.get(f"/reserve/proofs/{proof.id}").status_code == 404
    other_staff = factories.user(role="unit_staff")
    db.session.commit()
    login(client, other_staff)
    assert client.get(f"/units/periods/{assignment.period_id}").status_code == 404
    assert client.get(f"/units/{assignment.period.unit_id}").status_code == 404


def test_a_feed_token_opens_only_its_owners_calendar_and_a_revoked_one_is_404(
        app, client, two_reservists):
    me, theirs, _proof, _assignment = two_reservists
    owner = db.session.get(type(me), theirs.user_id)
    token = feed.renew(owner)
    mine = feed.renew(me)
    db.session.commit()
    their_feed = client.get(f"/reserve/feed/{token}.ics")
    assert their_feed.status_code == 200 and b"Kamp Beverlo" in their_feed.data
    assert b"Kamp Beverlo" not in client.get(f"/reserve/feed/{mine}.ics").data
    assert client.get("/reserve/feed/not-a-token.ics").status_code == 404
    # Renewing revokes the old address; revoking stops the new one.
    new = feed.renew(owner)
    db.session.commit()
    assert client.get(f"/reserve/feed/{token}.ics").status_code == 404
    assert client.get(f"/reserve/feed/{new}.ics").status_code == 200
    login(client, owner)
    page = client.get("/reserve/calendar").get_data(as_text=True)
    client.post("/reserve/calendar/revoke",
                data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"',
                                              page).group(1), "confirmed": "yes"})
    assert client.get(f"/reserve/feed/{new}.ics").status_code == 404


def test_the_feed_holds_no_register_number(app, client):
    person = factories.person()
    user = factories.user()
    person.user_id = user.id
    unit = helpers.unit()
    engagement = helpers.engagement(user, status=EngagementStatus.ACTIVE, unit=unit)
    helpers.assignment(helpers.period(unit), engagement)
    token = feed.renew(user)
    db.session.commit()
    body = client.get(f"/reserve/feed/{token}.ics").get_data(as_text=True)
    assert person.national_number not in body and token not in body


@pytest.mark.parametrize(("role", "url", "expected"), [
    ("citizen", "/reserve", 200),
    ("citizen", "/staff/reserve/engagements", 403),
    ("citizen", "/units", 403),
    ("recruiter", "/staff/reserve/engagements", 200),
    ("recruiter", "/staff/reserve/careers", 200),
    ("recruiter", "/units", 403),
    ("recruiter", "/reserve", 403),
    ("unit_staff", "/units", 200),
    ("unit_staff", "/staff/reserve/engagements", 403),
    ("unit_staff", "/admin/reserve/units", 403),
    ("employer", "/units", 403),
    ("employer", "/reserve/year", 403),
    ("admin", "/admin/reserve/units", 200),
    ("admin", "/admin/reserve/skills", 200),
    ("admin", "/units", 200),
])
def test_each_role_reaches_only_its_reserve_pages(app, client, role, url, expected):
    login(client, factories.user(role=role))
    db.session.commit()
    assert client.get(url).status_code == expected


def test_the_pillars_page_is_public_and_translated(app, client):
    assert "gevechtsreserve" in client.get("/reserve/pillars?lang=nl").get_data(
        as_text=True).lower()
    assert "réserve de combat" in client.get("/reserve/pillars?lang=fr").get_data(
        as_text=True).lower()
    page = client.get("/reserve/pillars?lang=de").get_data(as_text=True)
    assert "Kampfreserve" in page and "5 Tage" in page
