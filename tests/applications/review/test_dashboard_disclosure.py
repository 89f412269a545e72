"""The intake dashboard shows no count under DASHBOARD_MIN_CELL (page, chart, CSV), hides a
second count where a total would give the first back, and counts sex and age from the
register."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from portal import i18n
from portal.applications.review import dashboard
from portal.extensions import db
from tests.support import factories
from tests.support import review as h


@pytest.fixture(autouse=True)
def _english(app):
    with i18n.locale("en"):
        yield


def _candidate(sex: str | None, birth_date: date | None = None):
    if sex is None:
        return factories.user("citizen", password=None)
    person = factories.person(birth_date=birth_date)
    person.sex = sex
    user = factories.user("citizen", password=None, person=person)
    db.session.flush()
    return user


def _seed():
    """20 applications: 9 in Dutch (women), 11 in French (men); all from Antwerp."""
    intake = factories.intake()
    for i in range(20):
        language, sex = ("nl", "F") if i < 9 else ("fr", "M")
        h.application(intake, user=_candidate(sex), language=language, province="10000")
    db.session.commit()
    return intake


def _language_rows(page: str) -> str:
    start = page.index("<h2>By language</h2>")
    return page[start : page.index("<h2>", start + 1)]


def test_a_count_of_nine_is_never_shown_on_the_page(app, client, login_as):
    intake = _seed()
    login_as("recruiter", language="en")
    page = client.get(f"/review/intakes/{intake.id}/dashboard").get_data(as_text=True)
    assert 'id="stage-applied"><th scope="row">Applied</th><td>20</td>' in page
    table = _language_rows(page)
    assert ">9<" not in table and "9 /" not in table and "/ 9<" not in table
    # The other language (11) is hidden too: 20 minus 11 would give the 9 back.
    assert ">11<" not in table and "/ 11" not in table
    assert table.count("&lt; 10") >= 4
    # The chart draws no bar whose length would tell the hidden count.
    widths = {w for w in re.findall(r'width="([\d.]+)"', table)}
    assert widths <= {"0", "0.0"}


def test_a_count_of_nine_is_never_in_the_csv(app, client, login_as):
    intake = _seed()
    login_as("recruiter", language="en")
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/review/intakes/{intake.id}/dashboard.csv").get_data(as_text=True)
            )
        )
    )
    applied = rows[0].index("applied")
    assert rows[1][applied] == "20"
    by_language = {r[1]: r[applied] for r in rows if r and r[0] == "language"}
    assert by_language == {"nl": "< 10", "fr": "< 10"}
    assert not any(cell in {"9", "11"} for row in rows for cell in row)


def test_a_dimensions_totals_cannot_give_a_hidden_cell_back(app):
    from portal.applications.review import disclosure

    board = disclosure.suppress(dashboard.build(_seed()), 10)
    shown = [s.key for s in board.stages if s.total is not None]
    assert shown == ["applied"]
    for values in board.breakdown.values():
        hidden = [v for v, counts in values.items() if counts["applied"] is None]
        assert len(hidden) != 1, values
    assert board.breakdown["language"]["fr"]["applied"] is None


def test_sex_and_age_count_from_the_register(app):
    intake = factories.intake()
    start = intake.start_date
    for _ in range(3):
        h.application(intake, user=_candidate("F", date(start.year - intake.min_age, 1, 1)))
    h.application(intake, user=_candidate("M", date(start.year - intake.max_age, 1, 1)))
    h.application(intake, user=_candidate(None))
    db.session.commit()
    board = dashboard.build(intake)
    sexes = {value: counts["applied"] for value, counts in board.breakdown["sex"].items()}
    assert sexes == {"F": 3, "M": 1, "": 1}
    ages = {value: counts["applied"] for value, counts in board.breakdown["age"].items()}
    top = dashboard.age_bands(intake)[-1]
    assert ages == {str(intake.min_age): 3, dashboard.band_key(top): 1, "": 1}


def test_the_time_to_a_decision_of_a_few_cases_is_not_shown(app, client, login_as):
    """Three decisions: their average and median would tell how long each case took; the
    page and the CSV say there are too few instead."""
    from datetime import timedelta

    from portal.models import utcnow
    intake = _seed()
    for days, application in zip((3, 5, 40), intake.applications[:3], strict=True):
        application.submitted_at = utcnow() - timedelta(days=days + 1)
        application.decided_at = application.submitted_at + timedelta(days=days)
    db.session.commit()
    board = dashboard.build(intake)
    assert board.decided == 3 and board.days_median == 5.0  # what suppression must hide
    login_as("recruiter", language="en")
    page = " ".join(client.get(f"/review/intakes/{intake.id}/dashboard").get_data(
        as_text=True).split())
    assert "Fewer than 10 decisions so far: the average and the median are not shown" in page
    assert "<dt>Median</dt>" not in page
    rows = list(csv.reader(io.StringIO(client.get(
        f"/review/intakes/{intake.id}/dashboard.csv").get_data(as_text=True))))
    decided = next(r for r in rows if r and r[0] == "decided")
    assert decided[1] == "< 10" and decided[3] == "" and decided[5] == ""
