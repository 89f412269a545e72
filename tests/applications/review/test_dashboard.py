"""The intake dashboard shows the true funnel of seeded data, by dimension, and exports it."""
from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import timedelta

import pytest

from portal import i18n
from portal.applications.models import Status
from portal.applications.review import dashboard
from portal.applications.workflow import SYSTEM, transition
from portal.audit import AuditEvent
from portal.extensions import db
from portal.invitations.models import Invitation
from portal.models import utcnow
from tests.support import factories
from tests.support import review as h

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def _english(app):
    with i18n.locale("en"):
        yield


def _invite(cohort, postcode: str, signed_up: bool):
    person = factories.person(cohort, postcode=postcode)
    n = next(_n)
    db.session.add(Invitation(person=person, cohort_id=cohort.id, reference=f"INV-D{n}",
                              code_hash=f"hash{n}", expires_on=cohort.expires_on))
    user = None
    if signed_up:
        user = factories.user("citizen", password=None, person=person,
                              language=person.language)
    db.session.flush()
    return user


def _seed():
    """10 invited (6 in Ghent, nl; 4 in Namur, fr); 6 signed up; 4 at a session held;
    applications moved through the real transitions."""
    intake = factories.intake(quota_total=10, quota_land=5, quota_air=5)
    cohort = factories.cohort()
    users = [_invite(cohort, "9000", signed_up=i < 4) for i in range(6)]
    users += [_invite(cohort, "5000", signed_up=i < 2) for i in range(4)]
    citizens = [u for u in users if u is not None]
    held = factories.info_session(intake, days_ahead=-3)
    coming = factories.info_session(intake, days_ahead=5)
    for u in citizens[:4]:
        factories.booking(held, u)
    factories.booking(coming, citizens[4])
    recruiter = factories.user("recruiter", password=None)
    # 5 applications: 4 from Ghent (land), 1 from Namur (air)
    specs = [("nl", "40000", "land")] * 4 + [("fr", "90000", "air")]
    apps = [h.application(intake, user=u, language=lang, province=prov, component=comp)
            for u, (lang, prov, comp) in zip(citizens, specs, strict=False)]
    for a in apps[:3] + apps[4:]:  # 4 tested: 3 pass, 1 (air) fails
        a.status = Status.TESTS_SCHEDULED
        h.results(a, passed=a.component == "land")
        transition(a, "pass_tests" if a.component == "land" else "fail_tests", recruiter)
    h.waitlist(apps[0])
    transition(apps[0], "select", SYSTEM)
    h.waitlist(apps[1])
    transition(apps[1], "select", SYSTEM)
    apps[0].user_id = citizens[0].id
    transition(apps[0], "accept_offer", citizens[0])
    transition(apps[0], "start_service", recruiter)
    for a in apps:
        if a.decided_at:
            a.submitted_at = a.decided_at - timedelta(days=4)
    db.session.commit()
    return intake


def test_the_funnel_counts_every_stage_from_seeded_data(app):
    board = dashboard.build(_seed())
    totals = {s.key: s.total for s in board.stages}
    assert totals == {"invited": 10, "signed_up": 6, "session_attended": 4, "applied": 5,
                      "tested": 4, "selected": 2, "accepted": 1, "started": 1}
    rates = {s.key: s.rate for s in board.stages}
    assert rates["invited"] is None and rates["signed_up"] == 60.0 and rates["selected"] == 50.0
    assert board.breakdown["language"]["fr"]["invited"] == 4
    assert board.breakdown["province"]["90000"]["signed_up"] == 2
    assert board.breakdown["province"]["40000"]["applied"] == 4
    assert board.breakdown["component"]["air"] == {"applied": 1, "tested": 1}
    assert board.decided == 2 and board.days_mean == 4.0 and board.days_median == 4.0


def test_the_dashboard_page_shows_chart_and_tables(app, client, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "DASHBOARD_MIN_CELL", 0)  # the counts are checked
    intake = _seed()
    login_as("recruiter", language="en")
    page = client.get(f"/review/intakes/{intake.id}/dashboard").get_data(as_text=True)
    funnel = page[page.index("<svg"):page.index("</svg>")]
    assert funnel.count("<rect") == 8
    # the funnel, language, province, component, sex, age, parents' higher education
    assert page.count("<svg") == 7
    row = page[page.index('id="stage-signed_up"'):].split("</tr>")[0]
    assert "<td>6</td>" in row and "60 %" in row
    assert "Namur" in page and "East Flanders" in page
    assert "style=" not in page
    assert all(' src="/static/' in tag for tag in re.findall(r"<script[^>]*>", page))


def test_csv_export_has_the_same_counts_and_is_audited(app, client, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "DASHBOARD_MIN_CELL", 0)  # the counts are checked
    intake = _seed()
    recruiter = login_as("recruiter", language="en")
    response = client.get(f"/review/intakes/{intake.id}/dashboard.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["dimension", "value", "invited", "signed_up"]
    assert rows[1] == ["all", "", "10", "6", "4", "5", "4", "2", "1", "1"]
    assert ["language", "fr", "4", "2", "0", "1", "1", "0", "0", "0"] in rows
    logged = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "dashboard.exported"))
    assert logged.actor_id == recruiter.id


def test_invitations_outside_the_intake_window_do_not_count(app):
    intake = factories.intake()
    cohort = factories.cohort()
    _invite(cohort, "9000", signed_up=False)
    db.session.execute(db.update(Invitation).values(issued_at=utcnow() - timedelta(days=800)))
    assert dashboard.build(intake).stages[0].total == 0
