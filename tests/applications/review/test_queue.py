"""The recruiter queue: filters, search, sort, pages, overdue flags, and no N+1 queries."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

from portal.applications.models import Status
from portal.extensions import db
from portal.models import utcnow
from tests.support import factories
from tests.support import review as h
from tests.support.client import token_in


@contextmanager
def count_statements():
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _rows(html: str) -> int:
    return html.count('href="/review/applications/')


def test_filters_narrow_the_queue(app, client, login_as):
    intake = factories.intake()
    h.application(intake, last_name="Janssens", component="land", language="nl",
                  province="10000")
    h.application(intake, last_name="Dubois", component="air", language="fr", province="90000",
                  status=Status.SCREENING)
    h.application(intake, last_name="Schmitz", component="navy", language="de",
                  province="60000")
    h.application(intake, last_name="Verborgen", status=Status.DRAFT)
    other = factories.intake()
    h.application(other, last_name="Elders")
    db.session.commit()
    login_as("recruiter", language="en")
    url = f"/review/intakes/{intake.id}"

    page = client.get(url).get_data(as_text=True)
    assert _rows(page) == 3
    assert "Verborgen" not in page and "Elders" not in page
    assert "Dubois" in client.get(url + "?status=screening").get_data(as_text=True)
    assert _rows(client.get(url + "?status=screening").get_data(as_text=True)) == 1
    assert "Schmitz" in client.get(url + "?language=de").get_data(as_text=True)
    assert _rows(client.get(url + "?component=air").get_data(as_text=True)) == 1
    assert "Janssens" in client.get(url + "?province=10000").get_data(as_text=True)
    assert _rows(client.get(url + "?q=dub").get_data(as_text=True)) == 1


def test_search_by_reference_and_sort_by_score(app, client, login_as):
    intake = factories.intake()
    low = h.application(intake, last_name="Low", score=40)
    high = h.application(intake, last_name="High", score=90)
    db.session.commit()
    login_as("recruiter", language="en")
    url = f"/review/intakes/{intake.id}"
    found = client.get(url + f"?q={low.reference.lower()}").get_data(as_text=True)
    assert low.reference in found and high.reference not in found
    page = client.get(url + "?sort=-score").get_data(as_text=True)
    assert page.index("High") < page.index("Low")


def test_pages_hold_fifty_and_link_to_the_next(app, client, login_as):
    intake = factories.intake()
    for i in range(55):
        h.application(intake, last_name=f"Name{i:03d}")
    db.session.commit()
    login_as("recruiter", language="en")
    first = client.get(f"/review/intakes/{intake.id}?sort=name").get_data(as_text=True)
    assert _rows(first) == 50
    assert "1–50 of 55 applications" in first
    assert 'rel="next"' in first
    second = client.get(f"/review/intakes/{intake.id}?sort=name&page=2").get_data(as_text=True)
    assert _rows(second) == 5 and "Name054" in second
    beyond = client.get(f"/review/intakes/{intake.id}?page=99&sort=bogus")
    assert beyond.status_code == 200 and _rows(beyond.get_data(as_text=True)) == 5


def test_overdue_applications_and_offers_are_flagged_with_a_countdown(app, client, login_as):
    intake = factories.intake(flag_after_days=14)
    h.application(intake, last_name="Waiting", status_changed_at=utcnow() - timedelta(days=20))
    h.application(intake, last_name="Fresh", status_changed_at=utcnow() - timedelta(days=4))
    h.application(intake, last_name="Offered", status=Status.SELECTED,
                  offer_deadline=date.today() - timedelta(days=1))
    db.session.commit()
    login_as("recruiter", language="en")
    url = f"/review/intakes/{intake.id}"
    page = client.get(url).get_data(as_text=True)
    assert "2 applications or offers wait too long for a decision." in page
    flagged = client.get(url + "?flagged=1").get_data(as_text=True)
    assert "Waiting" in flagged and "Offered" in flagged and "Fresh" not in flagged
    fresh_row = page[page.index("Fresh"):].split("</tr>")[0]
    assert "<td>10</td>" in fresh_row  # days left before it is overdue


def test_queue_page_costs_the_same_statements_for_5_or_50_rows(app, client, login_as):
    intake = factories.intake()
    login_as("recruiter", language="en")
    for _ in range(5):
        h.application(intake)
    db.session.commit()
    url = f"/review/intakes/{intake.id}"
    client.get(url)
    db.session.expire_all()  # the test's session outlives requests: start each one cold
    with count_statements() as few:
        assert _rows(client.get(url).get_data(as_text=True)) == 5
    for _ in range(45):
        h.application(intake)
    db.session.commit()
    db.session.expire_all()
    with count_statements() as many:
        assert _rows(client.get(url).get_data(as_text=True)) == 50
    assert len(many) == len(few), (few, many)


def test_staff_only_and_unknown_intakes_are_404(app, client, login_as):
    intake = factories.intake()
    db.session.commit()
    login_as("citizen")
    assert client.get(f"/review/intakes/{intake.id}").status_code == 403
    h.login(client, factories.user("recruiter", language="en"))
    db.session.commit()
    assert client.get("/review/intakes/999999").status_code == 404
    assert client.get("/review/applications/999999").status_code == 404


def test_every_review_page_refuses_citizens_and_employers(app, client):
    import re

    intake = factories.intake()
    app_ = h.application(intake)
    db.session.commit()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("review.")]
    assert len(rules) >= 12
    for role in ("citizen", "employer"):
        h.login(client, factories.user(role, password=None))
        db.session.commit()
        token = token_in(client.get("/").get_data(as_text=True))
        for rule in rules:
            url = re.sub(r"<int:(\w+)>", lambda m: str(
                app_.id if m.group(1) == "application_id" else intake.id), rule.rule)
            method = "GET" if "GET" in rule.methods else "POST"
            status = client.open(url, method=method, data={"csrf_token": token}).status_code
            assert status == 403, (role, url, status)
