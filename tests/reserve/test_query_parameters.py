"""The Reserve pages' `year` and `page` query parameters: non-numbers, huge numbers and
negatives give the page, or a clean 400 or 404, never a server error."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.reserve.models import EngagementStatus, TrainingPeriod, UnitMember
from tests.support import factories
from tests.support import reserve as r

HOSTILE = ["abc", "²", "２０２７", "-1", "0", "-2147483649", "99999", "10000", "2147483648",
           "9" * 30, "1e9", "", " 2027", "NaN"]


def _world():
    citizen = factories.user("citizen", language="en")
    unit = r.unit()
    r.engagement(citizen, status=EngagementStatus.ACTIVE, unit=unit)
    r.period(unit)
    staff = factories.user("unit_staff", language="en")
    db.session.add(UnitMember(unit_id=unit.id, user_id=staff.id))
    recruiter = factories.user("recruiter", language="en")
    db.session.commit()
    return {"citizen": citizen, "unit_staff": staff, "recruiter": recruiter}, unit.id


@pytest.mark.parametrize("value", HOSTILE)
def test_year_and_page_of_every_reserve_page_never_give_a_server_error(
        app, client, login_as, value):
    users, unit_id = _world()
    pages = {"citizen": ["/reserve/year"],
             "unit_staff": [f"/units/{unit_id}"],
             "recruiter": ["/staff/reserve/engagements"]}
    for role, urls in pages.items():
        login_as(users[role])
        for url in urls:
            for name in ("year", "page"):
                response = client.get(url, query_string={name: value})
                assert response.status_code in (200, 404), (role, url, name, value,
                                                             response.status_code)
                if response.status_code == 404:
                    assert "Page not found" in response.get_data(as_text=True)


def test_a_year_out_of_range_is_not_found_and_a_page_past_the_end_shows_the_last(
        app, client, login_as):
    users, unit_id = _world()
    login_as(users["unit_staff"])
    assert client.get(f"/units/{unit_id}?year=99999").status_code == 404
    assert client.get(f"/units/{unit_id}?year=-3").status_code == 404
    assert client.get(f"/units/{unit_id}?page=2147483648").status_code == 200


def test_assigning_a_reservist_id_too_large_for_the_database_is_a_bad_request(
        app, client, login_as):
    from tests.support.client import post_form

    users, unit_id = _world()
    login_as(users["unit_staff"])
    period_id = db.session.scalar(db.select(TrainingPeriod.id))
    response = post_form(client, f"/units/periods/{period_id}/assign",
                         {"engagement_id": str(2 ** 70)}, page=f"/units/periods/{period_id}")
    assert response.status_code == 400
