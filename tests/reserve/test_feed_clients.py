"""The calendar feed as real calendar apps read it: Mozilla's ical.js (Thunderbird and many
web calendars; vendored in tests/assets/ical.js) and the Python icalendar parser both find
every training period at the instants the portal means, in winter, in summer and across
the changes to and from summer time."""
from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from portal.accounts.models import User
from portal.extensions import db
from portal.reserve import feed
from portal.reserve.models import EngagementStatus
from tests.support import reserve as helpers

ICAL_TIMES = Path(__file__).parents[1] / "support" / "ical_times.mjs"
BRUSSELS = ZoneInfo("Europe/Brussels")


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def _periods_of_next_year() -> dict[str, tuple[date, date]]:
    """Winter, summer, and a Friday-to-Monday period over each change of the clocks."""
    year = date.today().year + 1
    spring, autumn = _last_sunday(year, 3), _last_sunday(year, 10)
    return {
        "winter": (date(year, 1, 12), date(year, 1, 14)),
        "into summer time": (spring - timedelta(days=2), spring + timedelta(days=1)),
        "summer": (date(year, 7, 6), date(year, 7, 8)),
        "out of summer time": (autumn - timedelta(days=2), autumn + timedelta(days=1)),
    }


def _instant(day: date, at) -> datetime:
    return datetime.combine(day, at, tzinfo=BRUSSELS).astimezone(UTC)


@pytest.fixture
def served_feed(app, client):
    """The feed of a reservist with the four periods, as the portal serves it, and the
    instants (UTC) each event must start and end at, by UID."""
    unit = helpers.unit()
    engagement = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    expected = {}
    for name, (first, last) in _periods_of_next_year().items():
        period = helpers.period(unit, starts_in=(first - date.today()).days,
                                days=(last - first).days + 1, place=f"Kamp {name}")
        assignment = helpers.assignment(period, engagement)
        expected[f"reserve-assignment-{assignment.id}@"] = (
            name, _instant(first, feed.DAY_STARTS), _instant(last, feed.DAY_ENDS))
    user = db.session.get(User, engagement.user_id)
    token = feed.renew(user)
    db.session.commit()
    response = client.get(f"/reserve/feed/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return response.data, expected


def _match(uid: str, expected: dict):
    (key,) = [k for k in expected if uid.startswith(k)]
    return expected[key]


def _node() -> str:
    node = shutil.which("node")
    # Not a skip: CI has node (scripts/system-deps.sh installs it), and a feed that real
    # calendar apps read an hour off must not pass unnoticed.
    assert node, "node is needed to read the feed with ical.js: run `make system-deps`"
    return node


def test_ical_js_reads_every_period_at_the_instants_the_portal_means(served_feed):
    body, expected = served_feed
    run = subprocess.run([_node(), str(ICAL_TIMES)], input=body, capture_output=True,
                         timeout=60, check=True)
    events = json.loads(run.stdout)
    assert len(events) == len(expected) == 4
    seen = {}
    for event in events:
        name, start, end = _match(event["uid"], expected)
        assert event["tzid"] == "Europe/Brussels", name  # not read as floating time
        seen[name] = (datetime.fromtimestamp(event["start"], UTC),
                      datetime.fromtimestamp(event["end"], UTC))
    assert seen == {name: (start, end) for name, start, end in expected.values()}
    # The instants really differ by season: 07:00 UTC in winter, 06:00 UTC in summer.
    assert seen["winter"][0].hour == 7 and seen["summer"][0].hour == 6
    assert seen["into summer time"][0].hour == 7 and seen["into summer time"][1].hour == 15
    assert seen["out of summer time"][0].hour == 6 and seen["out of summer time"][1].hour == 16


def test_the_python_icalendar_parser_reads_the_same_instants(served_feed):
    body, expected = served_feed
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == 4
    for event in events:
        name, start, end = _match(str(event["UID"]), expected)
        assert event.decoded("dtstart").astimezone(UTC) == start, name
        assert event.decoded("dtend").astimezone(UTC) == end, name


def test_the_feeds_time_zone_follows_the_tz_database_for_decades(served_feed):
    """The zone written into the feed (rules, not a list of dates) gives the same offset as
    tzdata an hour before and after every change from 1996 to 2060."""
    body, _expected = served_feed
    (zone,) = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    assert "RDATE" not in body.decode()
    written = zone.to_tz()
    for year in range(1996, 2061):
        for month in (3, 10):
            change = datetime.combine(_last_sunday(year, month), datetime.min.time(),
                                      tzinfo=UTC) + timedelta(hours=1)
            for hours in (-1, 1):
                instant = change + timedelta(hours=hours)
                assert (instant.astimezone(written).utcoffset()
                        == instant.astimezone(BRUSSELS).utcoffset()), instant
