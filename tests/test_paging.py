"""Every staff list pages through paging.Numbered: a row beyond the first page is on page 2,
junk page numbers show page 1 and a number past the last shows the last page, each page
costs a bounded number of statements, and only portal/paging.py turns a page into an offset."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import url_for
from sqlalchemy import event

from portal import audit
from portal.extensions import db
from tests.support import factories
from tests.support import reserve as reserve_factories

PORTAL = Path(__file__).resolve().parent.parent / "portal"
JUNK = ("abc", "-3", "0", "2.5", "1e9", "%00", "")


def _engagements(n, user):
    rows = [reserve_factories.engagement() for _ in range(n)]
    return "reserve_staff.queue", {}, [e.reference for e in rows]


def _unit_reservists(n, user):
    unit = reserve_factories.unit(staff=[user])
    rows = [reserve_factories.engagement(
        status="active", unit=unit, user=factories.user(last_name=f"Zeta{i:02d}"))
        for i in range(n)]
    return "reserve_units.unit", {"unit_id": unit.id}, [f"Zeta{i:02d}" for i, _ in
                                                        enumerate(rows)]


def _audit_events(n, user):
    for i in range(n):
        audit.record(None, "paging.checked", ("Thing", f"thing-{i:02d}"))
    # Newest first: the first one made is the last row.
    return "audit.events", {"action": "paging."}, [f"thing-{i:02d}" for i in
                                                   reversed(range(n))]


def _agreements(n, user):
    from tests.employers.helpers import employer, proposed_agreement

    enterprise = employer()
    rows = [proposed_agreement(enterprise, factories.user(
        role="citizen", password=None, language="en", last_name=f"Kappa{i:02d}"))
        for i in range(n)]
    return "employers_admin.agreements", {}, [a.reservist.full_name for a in reversed(rows)]


def _period_answers(n, user):
    from portal.employers.models import PeriodAnswer
    from tests.employers.helpers import employer, proposed_agreement

    agreement = proposed_agreement(employer())
    for i in range(n):
        db.session.add(PeriodAnswer(
            agreement_id=agreement.id, period_key=f"p{i}", revision="r", answer="declined",
            starts_on=date(2030, 1, 1), ends_on=date(2030, 1, 2), days=2,
            reason=f"reason-{i:02d}", answered_by_id=user.id))
        db.session.flush()
    return ("employers_admin.agreements", {"page_name": "answers_page"},
            [f"reason-{i:02d}" for i in reversed(range(n))])


def _erasure_requests(n, user):
    from portal.privacy.models import ErasureRequest

    for i in range(n):
        db.session.add(ErasureRequest(reference=f"ER-PAGING-{i:02d}",
                                      user_id=factories.user().id))
        db.session.flush()
    return "privacy_admin.requests", {}, [f"ER-PAGING-{i:02d}" for i in reversed(range(n))]


def _letter_runs(n, user):
    from portal.jobs import Job
    from portal.letters import runs

    jobs = []
    for i in range(n):
        jobs.append(Job(kind=runs.KIND, params=json.dumps(
            {"source": "invitation", "scope_id": 0, "out": f"/tmp/run-{i}", "batch_size": 10,
             "letter_date": "2030-01-01"})))
        db.session.add(jobs[-1])
        db.session.flush()
    return "letter_runs.list_runs", {}, [f"#{job.id}<" for job in reversed(jobs)]


def _import_problems(n, user):
    from portal.invitations.models import CohortImport, CohortImportError

    cohort = factories.cohort()
    record = CohortImport(cohort_id=cohort.id, rows=n, rejected=n, problems=n)
    db.session.add(record)
    db.session.flush()
    for i in range(n):
        db.session.add(CohortImportError(import_id=record.id, row=700 + i, field="postcode",
                                         reason="postcode"))
        db.session.flush()
    return ("cohorts.import_report", {"cohort_id": cohort.id, "import_id": record.id},
            [f"<td>{700 + i}</td>" for i in range(n)])


def _call_ups(n, user):
    from portal.reserve.callups import CallUp

    for i in range(n):
        db.session.add(CallUp(title=f"Call-up paging {i:02d}", kind="exercise",
                              starts_on=date.today() + timedelta(days=30),
                              ends_on=date.today() + timedelta(days=31),
                              answer_by=date.today() + timedelta(days=20)))
        db.session.flush()
    return "reserve_callups.new", {}, [f"Call-up paging {i:02d}" for i in reversed(range(n))]


LISTS = {
    "reserve applications": (_engagements, "recruiter", "REVIEW_QUEUE_PAGE_SIZE"),
    "a unit's reservists": (_unit_reservists, "unit_staff", "STAFF_LIST_PAGE_SIZE"),
    "audit log": (_audit_events, "admin", "STAFF_LIST_PAGE_SIZE"),
    "agreements": (_agreements, "admin", "STAFF_LIST_PAGE_SIZE"),
    "answers about periods": (_period_answers, "admin", "STAFF_LIST_PAGE_SIZE"),
    "erasure requests": (_erasure_requests, "admin", "STAFF_LIST_PAGE_SIZE"),
    "letter runs": (_letter_runs, "admin", "STAFF_LIST_PAGE_SIZE"),
    "import problems": (_import_problems, "admin", "STAFF_LIST_PAGE_SIZE"),
    "call-ups sent": (_call_ups, "recruiter", "STAFF_LIST_PAGE_SIZE"),
}


def _open(app, client, login_as, monkeypatch, name, rows, per_page):
    make, role, setting = LISTS[name]
    monkeypatch.setitem(app.config, setting, per_page)
    user = login_as(role)
    endpoint, args, markers = make(rows, user)
    db.session.commit()
    page_name = args.pop("page_name", "page")

    def get(page=None):
        with app.test_request_context():
            url = url_for(endpoint, **args, **({page_name: page} if page is not None else {}))
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)

    return get, markers, page_name


@pytest.mark.parametrize("name", LISTS)
def test_a_row_beyond_the_first_page_is_on_page_two(app, client, login_as, monkeypatch,
                                                     name):
    get, markers, page_name = _open(app, client, login_as, monkeypatch, name, 3, 2)
    first, second = get(), get(2)
    assert markers[0] in first and markers[1] in first and markers[2] not in first
    assert markers[2] in second and markers[0] not in second
    assert f"{page_name}=2" in first  # the first page links to the second


@pytest.mark.parametrize("name", LISTS)
def test_junk_page_numbers_show_the_first_page_and_a_page_past_the_last_the_last(
        app, client, login_as, monkeypatch, name):
    get, markers, _page_name = _open(app, client, login_as, monkeypatch, name, 3, 2)
    for junk in JUNK:
        assert markers[0] in get(junk), junk
    for number in ("50", "99999999999999999999999"):
        past = get(number)
        assert markers[2] in past and markers[0] not in past, number


@pytest.mark.parametrize("name", LISTS)
def test_a_longer_page_costs_no_more_statements(app, client, login_as, monkeypatch, name):
    """A count and the page's rows: a page of two rows and one of six cost the same."""
    get, markers, _page_name = _open(app, client, login_as, monkeypatch, name, 6, 2)
    get()  # whatever a first visit loads once (the session, the translations)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        get()
        short = len(statements)
        monkeypatch.setitem(app.config, LISTS[name][2], 6)
        statements.clear()
        page = get()
        assert all(marker in page for marker in markers)
        assert len(statements) == short
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_only_the_paging_module_turns_a_page_into_an_offset():
    """Every list pages through paging.Numbered: no other module computes an offset (or the
    page to show) on its own."""
    strays = []
    for path in sorted(PORTAL.rglob("*.py")):
        if path == PORTAL / "paging.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.offset\(|\blocate\(|paging\._locate", text):
            strays.append(str(path.relative_to(PORTAL.parent)))
    assert strays == []
