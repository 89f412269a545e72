"""The recruiters' queue in numbered pages, like the medical one: where the reader stands,
the current page marked for screen readers, a page past the last, filters kept in links."""
from __future__ import annotations

import re

import pytest
from flask import render_template_string

from portal import i18n
from portal.applications.models import Status
from portal.applications.review import queue as review_queue
from portal.extensions import db
from tests.support import factories
from tests.support import review as h


@pytest.fixture
def scene(app, monkeypatch):
    """Seven applications of one intake by name (Name0..Name6, one screening), page size 2."""
    monkeypatch.setitem(app.config, "REVIEW_QUEUE_PAGE_SIZE", 2)  # the app outlives the test
    intake = factories.intake()
    names = [f"Name{n}" for n in range(7)]
    for n, name in enumerate(names):
        h.application(intake, last_name=name, language="fr" if n % 2 else "nl",
                      status=Status.SCREENING if n == 3 else Status.SUBMITTED)
    db.session.commit()
    return {"intake": intake, "names": names, "url": f"/review/intakes/{intake.id}"}


def _names(page: str) -> list[str]:
    return re.findall(r"<td>(Name\d) ", page)


def _count(page: str) -> str:
    return re.search(r'id="review-count">([^<]*)<', page).group(1).strip()


def _nav(page: str) -> str:
    return page.split('id="review-pages"')[1].split("</nav>")[0]


def test_page_two_shows_the_next_rows_and_where_they_stand(app, client, login_as, scene):
    login_as("recruiter", language="en")
    url, names = scene["url"], scene["names"]
    second = client.get(url + "?sort=name&page=2").get_data(as_text=True)
    assert _names(second) == names[2:4]
    assert _count(second) == "3–4 of 7 applications"
    assert 'aria-label="Pages"' in second.split('id="review-pages"')[0][-80:]
    nav = _nav(second)
    assert re.search(rf'<a aria-current="page" href="{url}\?sort=name&amp;page=2"[^>]*>2</a>',
                     nav)
    assert nav.count("aria-current") == 1
    assert f'rel="prev" href="{url}?sort=name"' in nav
    assert f'rel="next" href="{url}?sort=name&amp;page=3"' in nav
    assert f'href="{url}?sort=name&amp;page=4" aria-label="Page 4">4</a>' in nav  # the last
    assert "Page 2 of 4" in second.split("<caption")[1].split("</caption>")[0]
    pages = [client.get(url + f"?sort=name&page={n}").get_data(as_text=True) for n in (1, 3, 4)]
    assert _count(pages[-1]) == "7–7 of 7 applications" and 'rel="next"' not in pages[-1]
    assert sorted(sum((_names(p) for p in [second, *pages]), [])) == names


def test_a_page_past_the_last_shows_the_last_page_and_says_so(app, client, login_as, scene):
    login_as("recruiter", language="en")
    url = scene["url"]
    text = client.get(url + "?sort=name&page=99").get_data(as_text=True)
    assert "Page 99 does not exist: the last page is shown." in text
    assert _count(text) == "7–7 of 7 applications" and _names(text) == ["Name6"]
    assert 'aria-current="page" href="' + url + '?sort=name&amp;page=4"' in _nav(text)
    for junk in ("?page=0", "?page=-2", "?page=two", "?page=", "?page=%C2%B2"):
        text = client.get(url + junk).get_data(as_text=True)
        assert _count(text) == "1–2 of 7 applications", junk
        assert "does not exist" not in text


def test_every_page_link_keeps_the_filters_and_the_sort(app, client, login_as, scene):
    login_as("recruiter", language="en")
    url = scene["url"]
    text = client.get(url + "?language=nl&sort=-submitted&q=name").get_data(as_text=True)
    assert _count(text) == "1–2 of 4 applications"
    links = re.findall(r'<a (?:rel="\w+" |aria-current="page" )?href="([^"]+)"', _nav(text))
    assert links and all("language=nl" in a and "sort=-submitted" in a and "q=name" in a
                         for a in links)


def test_the_count_is_written_the_readers_way(app, client, login_as, scene):
    login_as("recruiter", language="nl")
    text = client.get(scene["url"] + "?page=2").get_data(as_text=True)
    assert _count(text) == "3–4 van 7 kandidaturen"
    assert 'aria-label="Pagina 4">4</a>' in _nav(text)


@pytest.mark.parametrize("language, count", [("en", "51–100 of 12,345 applications"),
                                              ("nl", "51–100 van 12.345 kandidaturen")])
def test_a_large_queue_counts_with_thousands_separators(app, language, count):
    rows = [object()] * 50
    page = review_queue.Page(rows=rows, total=12345, page=2, pages=247, per_page=50)
    with app.test_request_context("/"), i18n.locale(language):
        html = render_template_string(
            '{% from "_macros/paging.html" import page_nav, page_status %}'
            '{{ page_status(page, "x") }}'
            '{{ page_nav(page, "review.queue", "x", {"intake_id": 1}) }}',
            page=page)
    assert _count(html.replace('id="x-count"', 'id="review-count"')) == count
    assert page.numbers() == [1, 2, 3, 4, None, 247]
    assert 'href="/review/intakes/1?sort=submitted&amp;page=247"' in html
