"""An employer user sees only their own enterprises' reservists, agreements, periods and
statements: every employer page, given another enterprise's object, is a 404."""
from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.letters.models import Letter
from tests.employers.helpers import NUMBERS, employer, hr_user, signed_agreement
from tests.support import factories
from tests.support.client import csrf_token

ANSWERS = {"action": "suspend", "answer": "confirm", "year": 2027, "request_id": 1,
           "decision": "approve"}


@pytest.fixture
def two_enterprises(app, calendar):
    mine, theirs = employer(NUMBERS[0], "Mine NV"), employer(NUMBERS[1], "Theirs SRL")
    me = hr_user(mine)
    other_reservist = factories.user(role="citizen", password=None, email="them@example.be")
    their_agreement = signed_agreement(theirs, reservist=other_reservist)
    my_agreement = signed_agreement(mine)
    period = calendar.plan(other_reservist, date.today() + timedelta(days=100))
    calendar.plan(my_agreement.reservist, date.today() + timedelta(days=120))
    letter = db.session.scalar(
        db.select(Letter).where(Letter.subject_id == str(their_agreement.id)))
    db.session.commit()
    return {"me": me, "theirs": theirs, "agreement": their_agreement, "period": period,
            "letter": letter, "my_agreement": my_agreement}


def _url_for_other(rule, objects) -> str:
    values = {"employer_id": objects["theirs"].id, "agreement_id": objects["agreement"].id,
              "public_id": objects["letter"].public_id, "key": objects["period"].key, **ANSWERS}
    url = rule.rule
    for name in rule.arguments:
        for pattern in (f"<int:{name}>", f"<{name}>", f"<string(length=22):{name}>"):
            url = url.replace(pattern, str(values[name]))
    return url


def test_every_employer_page_refuses_another_enterprises_objects(app, client, login_as,
                                                                 two_enterprises):
    login_as(two_enterprises["me"])
    token = csrf_token(client, "/employer/")
    checked = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(("employers_hr.", "employers_planning.",
                                         "employers_payment.", "employers_feed.")) or (
                not rule.arguments):
            continue
        if rule.endpoint in ("employers_hr.open_link", "employers_hr.sign_in_with_link",
                             "employers_feed.feed_ics", "employers_feed.feed_csv"):
            continue  # public: the e-mailed links and the planning address, by their secret
        url = _url_for_other(rule, two_enterprises)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={
                "csrf_token": token, "reason": "x", "revision": "r1",
                "iban": "BE71096123456769", "work_percent": "50"})
            assert response.status_code == 404, (method, url, response.status_code)
            checked.append((method, rule.endpoint))
    endpoints = {endpoint for _m, endpoint in checked}
    assert {"employers_hr.agreement", "employers_hr.sign", "employers_hr.move",
            "employers_hr.letter", "employers_hr.enterprise", "employers_hr.invite",
            "employers_hr.answer_period", "employers_hr.statement",
            "employers_hr.statement_pdf", "employers_hr.statement_csv",
            "employers_planning.leave_pdf", "employers_planning.planning_ics",
            "employers_payment.account", "employers_payment.working_time",
            "employers_feed.subscription", "employers_feed.renew",
            "employers_feed.revoke"} <= endpoints
    # Nothing changed for the other enterprise.
    db.session.refresh(two_enterprises["agreement"])
    assert two_enterprises["agreement"].status == "signed"
    assert two_enterprises["agreement"].work_percent == 100
    assert two_enterprises["theirs"].iban is None


def test_my_own_period_of_another_reservist_is_a_404_too(client, login_as, two_enterprises):
    """A period key of someone else's reservist, on my own agreement's page."""
    login_as(two_enterprises["me"])
    mine = two_enterprises["my_agreement"]
    url = f"/employer/agreements/{mine.id}/periods/{two_enterprises['period'].key}/confirm"
    response = client.post(url, data={"csrf_token": csrf_token(client, "/employer/"),
                                      "revision": "r1"})
    assert response.status_code == 404


def test_the_employer_sees_name_periods_and_days_but_nothing_else(client, login_as,
                                                                  two_enterprises):
    login_as(two_enterprises["me"])
    mine = two_enterprises["my_agreement"]
    page = client.get(f"/employer/agreements/{mine.id}").get_data(as_text=True)
    assert mine.reservist.full_name in page
    assert "Kamp Elsenborn" in page  # the place of the period
    assert mine.reservist.email not in page
    home = client.get("/employer/").get_data(as_text=True)
    assert "Theirs SRL" not in home and "them@example.be" not in home
    assert two_enterprises["agreement"].reservist.full_name not in home


def test_other_roles_cannot_open_employer_pages(client, login_as, two_enterprises):
    for role in ("citizen", "recruiter", "admin"):
        login_as(role, password=None)
        url = f"/employer/agreements/{two_enterprises['agreement'].id}"
        assert client.get(url).status_code == 403


def test_a_reservist_cannot_touch_another_reservists_agreement(client, login_as,
                                                              two_enterprises):
    login_as("citizen", password=None, language="en")
    token = csrf_token(client, "/reserve/employer/")
    response = client.post(f"/reserve/employer/agreements/{two_enterprises['agreement'].id}/end",
                           data={"csrf_token": token, "reason": "x"})
    assert response.status_code == 404
