"""The targets page measures the records against the policy note's figures, each a
setting: selected in the first levy and each year, reservists from the service year and
recruited this term, the funnel of each year, and the Reserve's strength."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from portal.applications.models import ApplicationEvent, Status
from portal.extensions import db
from portal.reserve.models import EngagementEvent, EngagementStatus, Origin
from tests.support import factories
from tests.support import reserve as rs
from tests.support import review as scene


def _selected(intake, n):
    for _ in range(n):
        application = scene.application(intake, status=Status.SELECTED)
        db.session.add(ApplicationEvent(application_id=application.id, action="select",
                                        from_status=Status.TESTS_PASSED,
                                        to_status=Status.SELECTED))


def _scene():
    first = factories.intake(name="Lichting 2027", start_date=date(2027, 9, 1))
    later = factories.intake(name="Lichting 2028", start_date=date(2028, 9, 1))
    _selected(first, 3)
    _selected(later, 2)
    scene.application(later, status=Status.SUBMITTED)
    unit = rs.unit(name="Bataljon Limburg", pillar="territorial")
    approved_at = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    for origin, status in ((Origin.SERVICE_YEAR, EngagementStatus.ACTIVE),
                           (Origin.SERVICE_YEAR, EngagementStatus.APPROVED),
                           (Origin.DIRECT, EngagementStatus.APPROVED),
                           (Origin.SERVICE_YEAR, EngagementStatus.REJECTED)):
        engagement = rs.engagement(status=status, origin=origin, unit=unit,
                                   pillar="territorial")
        if status != EngagementStatus.REJECTED:
            db.session.add(EngagementEvent(engagement_id=engagement.id, action="approve",
                                           from_status="screening", to_status="approved",
                                           at=approved_at))
    db.session.commit()


def test_targets_come_from_settings_and_counts_from_the_records(app, client, login_as):
    app.config.update(TARGET_FIRST_LEVY_SELECTED=4, TARGET_SELECTED_PER_YEAR=8,
                      TARGET_RESERVISTS_FROM_SERVICE_YEAR=10, TARGET_RESERVISTS_THIS_TERM=6)
    _scene()
    login_as("recruiter", language="en")
    page = client.get("/review/targets")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = {key: cells for key, cells in (
        (line.split('id="target-')[1].split('"')[0], line) for line in html.splitlines()
        if 'id="target-' in line)}
    assert "<td>4</td><td>3</td><td>75 %</td>" in rows["first_levy"]
    assert "Lichting 2027" in rows["first_levy"]
    assert "<td>8</td><td>2</td><td>25 %</td>" in rows["selected_2028"]
    assert "selected_2027" not in rows  # no yearly target before TARGET_SELECTED_PER_YEAR_FROM
    assert "<td>10</td><td>2</td><td>20 %</td>" in rows["reservists_from_service_year"]
    assert "<td>6</td><td>3</td><td>50 %</td>" in rows["reservists_this_term"]
    assert "Bataljon Limburg" in html and "Territorial reserve" in html
    assert "2025-02-03" not in html  # dates written out, not ISO


def test_the_csv_holds_targets_funnel_and_strength(app, client, login_as):
    _scene()
    login_as("admin", language="en")
    response = client.get("/review/targets.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    by_key = {(r[0], r[1]): r for r in rows[1:] if r}
    assert by_key[("target", "first_levy")][2:4] == [
        str(app.config["TARGET_FIRST_LEVY_SELECTED"]), "3"]
    assert by_key[("funnel", "2028:selected")][3] == "2"
    assert by_key[("funnel", "2028:applied")][3] == "3"
    assert by_key[("pillar", "territorial")][3] == "3"


def test_only_recruiters_and_administrators_see_the_targets(client, login_as):
    assert client.get("/review/targets").status_code in (302, 303)
    login_as("citizen")
    assert client.get("/review/targets").status_code in (403, 404)
    assert client.get("/review/targets.csv").status_code in (403, 404)


def test_a_term_outside_the_dates_counts_nobody(app, client, login_as):
    app.config.update(TERM_START=date.today() + timedelta(days=1),
                      TERM_END=date.today() + timedelta(days=400))
    _scene()
    login_as("recruiter", language="en")
    html = client.get("/review/targets").get_data(as_text=True)
    line = next(line for line in html.splitlines() if 'id="target-reservists_this_term"' in line)
    assert "<td>0</td><td>0 %</td>" in line
