"""The enterprise's planning: an HR user downloads the training periods of the reservists
the enterprise has a signed agreement with, for the next 12 months, as CSV and as an
iCalendar file of whole days; nobody else's, and no other enterprise can."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import icalendar
import pytest

from portal.employers import periods
from portal.employers.planning import MONTHS_AHEAD
from portal.employers.reserve_calendar import ReserveCalendar
from portal.extensions import db
from portal.reserve import training
from portal.reserve.models import EngagementStatus
from tests.employers.helpers import NUMBERS, employer, hr_user, proposed_agreement, signed_agreement
from tests.support import factories, reserve


@pytest.fixture
def scene(app):
    previous = periods.use_source(ReserveCalendar())
    staff = factories.user(role="unit_staff", password=None, language="en")
    unit = reserve.unit(staff=[staff])
    people = {}
    for first in ("An", "Bram", "Chloé"):
        user = factories.user(role="citizen", password=None, language="en",
                              first_name=first, last_name="Peeters")
        people[first] = (user, reserve.engagement(user, status=EngagementStatus.ACTIVE,
                                                  unit=unit))
    company = employer()
    hr = hr_user(company, email="hr@bakkerij.be")
    signed_agreement(company, hr=hr, reservist=people["An"][0])
    proposed_agreement(company, people["Bram"][0])  # not signed: not in the planning
    other = employer(number=NUMBERS[1], name="Garage Dubois SRL")
    other_hr = hr_user(other, email="rh@garage.be")
    signed_agreement(other, hr=other_hr, reservist=people["Chloé"][0])
    plans = {}
    for first, starts_in, days, place in (("An", 20, 2, "Kamp Beverlo"),
                                          ("An", 300, 3, "Kamp Elsenborn"),
                                          ("An", 400, 1, "Marche-en-Famenne"),
                                          ("Bram", 25, 2, "Kamp Beverlo"),
                                          ("Chloé", 30, 2, "Zeebrugge")):
        period = reserve.period(unit, starts_in=starts_in, days=days, place=place)
        training.assign(period, people[first][1], staff)
        plans[(first, starts_in)] = period
    db.session.commit()
    yield company, hr, other_hr, plans
    periods.use_source(previous)


def test_the_csv_lists_the_signed_reservists_periods_of_the_next_months(
        client, login_as, scene):
    company, hr, _other_hr, plans = scene
    login_as(hr)
    home = client.get("/employer/").get_data(as_text=True)
    url = f"/employer/enterprises/{company.id}/planning.csv"
    assert f'href="{url}"' in home and f"next {MONTHS_AHEAD} months" in home
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["reservist"], r["starts_on"], r["days"], r["place"]) for r in rows] == [
        ("An Peeters", plans[("An", 20)].starts_on.isoformat(), "2", "Kamp Beverlo"),
        ("An Peeters", plans[("An", 300)].starts_on.isoformat(), "3", "Kamp Elsenborn"),
    ]  # not Bram (no signed agreement), not 400 days ahead, not the other enterprise's
    assert rows[0]["enterprise_number"] == company.formatted_number


def test_the_calendar_holds_whole_days_in_any_reader(client, login_as, scene):
    company, hr, _other_hr, plans = scene
    login_as(hr)
    response = client.get(f"/employer/enterprises/{company.id}/planning.ics")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.get_data())
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 2
    first = plans[("An", 20)]
    assert events[0].decoded("dtstart") == first.starts_on
    assert events[0].decoded("dtend") == first.ends_on + timedelta(days=1)
    assert "An Peeters" in str(events[0]["summary"])
    assert str(events[0]["location"]) == "Kamp Beverlo"
    assert isinstance(events[1].decoded("dtstart"), date)
    assert len({str(e["uid"]) for e in events}) == 2


def test_no_other_enterprise_and_no_other_role_downloads_it(client, login_as, scene):
    company, _hr, other_hr, _plans = scene
    login_as(other_hr)
    for kind in ("csv", "ics"):
        assert client.get(f"/employer/enterprises/{company.id}/planning.{kind}"
                          ).status_code == 404
    login_as("citizen", language="en")
    assert client.get(f"/employer/enterprises/{company.id}/planning.csv").status_code == 403
