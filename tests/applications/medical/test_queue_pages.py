"""The medical queue reaches every convoked candidate, page by page, in a stable order, at a
fixed cost of two statements per page; filters by intake and by recorded or not."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from portal.applications.medical import queue as medical_queue
from portal.applications.medical import services
from portal.applications.models import Status
from portal.extensions import db
from portal.models import utcnow
from tests.support import factories
from tests.support import review as h
from tests.support.client import login


@pytest.fixture
def scene(app, monkeypatch):
    """Seven pending candidates of one intake (submitted one a day apart, the same selection
    day), one more of another intake, and one of the first whose test is recorded."""
    monkeypatch.setitem(app.config, "MEDICAL_QUEUE_PAGE_SIZE", 3)  # the app outlives the test
    first, other = factories.intake(), factories.intake()
    day = h.selection_day(first)
    now = utcnow()
    pending = []
    for n in range(7):
        app_ = h.application(first, status=Status.TESTS_SCHEDULED,
                             submitted_at=now - timedelta(days=20 - n))
        h.convoke(app_, day)
        pending.append(app_)
    late = h.application(other, status=Status.TESTS_SCHEDULED)  # no selection day: last
    recorded = h.application(first, status=Status.TESTS_SCHEDULED,
                             submitted_at=now - timedelta(days=30))
    h.convoke(recorded, day)
    doctor = factories.user("medical_staff", language="en")
    db.session.commit()
    h.medically_fit(recorded)
    return {"first": first, "other": other, "pending": pending, "late": late,
            "recorded": recorded, "doctor": doctor}


def _references(page: str) -> list[str]:
    return re.findall(
        r'<th scope="row"><a href="/medical/applications/\d+(?:\?[^"]*)?">([^<]+)</a>', page)


def _count(page: str) -> str:
    return re.search(r'id="medical-count">([^<]*)<', page).group(1).strip()


def test_page_two_shows_the_next_candidates_and_where_they_stand(app, client, scene):
    login(client, scene["doctor"])
    refs = [a.reference for a in scene["pending"]] + [scene["late"].reference]
    first = client.get("/medical/").get_data(as_text=True)
    assert _references(first) == refs[:3]
    assert _count(first) == "1–3 of 8 applications"
    second = client.get("/medical/?page=2").get_data(as_text=True)
    assert _references(second) == refs[3:6]
    assert _count(second) == "4–6 of 8 applications"
    nav = second.split('id="medical-pages"')[1].split("</nav>")[0]
    assert 'aria-label="Pages"' in second.split('id="medical-pages"')[0][-80:]
    assert re.search(r'<a aria-current="page" href="/medical/\?page=2"[^>]*>2</a>', nav)
    assert nav.count("aria-current") == 1
    assert 'rel="prev" href="/medical/"' in nav and 'rel="next" href="/medical/?page=3"' in nav
    third = client.get("/medical/?page=3").get_data(as_text=True)
    assert _references(third) == refs[6:]
    assert _count(third) == "7–8 of 8 applications"
    assert 'rel="next"' not in third
    # Every candidate is on exactly one page: nobody is out of reach.
    assert sorted(_references(first) + _references(second) + _references(third)) == sorted(refs)


def test_a_page_past_the_last_shows_the_last_page_and_says_so(app, client, scene):
    login(client, scene["doctor"])
    page = client.get("/medical/?page=99")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Page 99 does not exist: the last page is shown." in text
    assert _count(text) == "7–8 of 8 applications"
    for junk in ("?page=0", "?page=-2", "?page=two", "?show=nonsense&intake=x"):
        text = client.get(f"/medical/{junk}").get_data(as_text=True)
        assert _count(text) == "1–3 of 8 applications", junk
        assert "does not exist" not in text


def test_the_filters_pick_the_intake_and_recorded_or_not_and_pages_keep_them(app, client,
                                                                            scene):
    login(client, scene["doctor"])
    first = scene["first"].id
    text = client.get(f"/medical/?intake={first}").get_data(as_text=True)
    assert _count(text) == "1–3 of 7 applications"
    assert f'href="/medical/?intake={first}&amp;page=2"' in text
    decided = client.get("/medical/?show=decided").get_data(as_text=True)
    assert _references(decided) == [scene["recorded"].reference]
    assert "Medically fit" in decided.split("<tbody>")[1]
    every = client.get(f"/medical/?show=all&intake={first}").get_data(as_text=True)
    assert _count(every) == "1–3 of 8 applications"
    assert _references(every)[0] == scene["recorded"].reference  # submitted first
    empty = client.get(f"/medical/?intake={scene['other'].id}&show=decided")
    assert "No convoked candidate matches." in empty.get_data(as_text=True)


def test_a_page_costs_one_count_and_one_page_query_whatever_its_number(app, scene):
    doctor = scene["doctor"]
    assert doctor.role == "medical_staff"  # loaded before counting
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for number in (1, 3, 50):
            statements.clear()
            page = services.queue(doctor, medical_queue.Filters(page=number), 3)
            assert len(statements) == 2, statements
            assert all("health_answers" not in s and "answers" not in s.split("FROM")[0]
                       for s in statements)
            assert (page.page, page.pages, page.total) == (min(number, 3), 3, 8)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_only_page_numbers_near_the_current_one_are_linked():
    page = medical_queue.Page(rows=[], total=1000, page=10, pages=20, per_page=50)
    assert page.numbers() == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert medical_queue.Page(rows=[], total=3, page=1, pages=2, per_page=2).numbers() == [1, 2]


def test_the_back_link_returns_to_the_page_and_filters_the_candidate_was_opened_from(
        app, client, scene):
    login(client, scene["doctor"])
    first = scene["first"].id
    queue = client.get(f"/medical/?show=all&intake={first}&page=2").get_data(as_text=True)
    target = scene["pending"][2]  # the fifth of the intake: on page 2
    link = f"/medical/applications/{target.id}?show=all&amp;intake={first}&amp;page=2"
    assert f'href="{link}"' in queue
    opened = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    back = re.search(r'<a href="([^"]*)" id="back-to-queue">', opened).group(1)
    assert back == f"/medical/?show=all&amp;intake={first}&amp;page=2"
    assert f'action="/medical/applications/{target.id}/medical-test?show=all&amp;' in opened
    # Junk is dropped, never echoed: the link falls back to the queue's defaults.
    junk = client.get(f"/medical/applications/{target.id}?show=%22%3E&intake=%C2%B2&page=x"
                      "&next=https://elsewhere.example").get_data(as_text=True)
    assert re.search(r'<a href="([^"]*)" id="back-to-queue">', junk).group(1) == "/medical/"
    assert client.get("/medical/?intake=%C2%B2").status_code == 200
    assert client.get("/medical/?intake=99999999999999999999").status_code == 200
