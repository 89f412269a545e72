"""The employer answers each planned training period of their reservists: confirm, or
decline with a reason and another date; the reservist and staff see the answer at once."""
from datetime import date

import pytest

from portal.employers.models import PeriodAnswer
from portal.extensions import db
from tests.employers.helpers import employer, hr_user, signed_agreement
from tests.employers.helpers import reservist as reservist_user
from tests.support.client import csrf_token
from tests.support.mail import last_mail_to, text_of


@pytest.fixture
def setting(app, calendar):
    bakery = employer()
    hr = hr_user(bakery)
    reservist = reservist_user(language="en", email="reservist@example.be")
    agreement = signed_agreement(bakery, hr=hr, reservist=reservist)
    db.session.commit()
    return bakery, hr, reservist, agreement


def _answer(client, agreement, period, answer, **data):
    token = csrf_token(client, f"/employer/agreements/{agreement.id}")
    return client.post(f"/employer/agreements/{agreement.id}/periods/{period.key}/{answer}",
                       data={"csrf_token": token, "revision": period.revision, **data},
                       follow_redirects=True)


def _next_year_day(month, day):
    return date(date.today().year + 1, month, day)


def test_the_employer_sees_the_periods_with_the_notice_given_and_late_ones_marked(
        client, login_as, setting, calendar):
    _bakery, hr, reservist, agreement = setting
    calendar.plan(reservist, _next_year_day(3, 2), announced_days_ahead=90)
    calendar.plan(reservist, _next_year_day(5, 4), announced_days_ahead=20)  # notice is 60
    login_as(hr)
    page = client.get(f"/employer/agreements/{agreement.id}").get_data(as_text=True)
    assert "announced 90 days ahead" in page and "announced 20 days ahead" in page
    assert page.count("later than the agreed notice") == 1


def test_confirming_a_period_is_seen_at_once_by_the_reservist_and_staff(client, login_as,
                                                                         setting, calendar):
    bakery, hr, reservist, agreement = setting
    period = calendar.plan(reservist, _next_year_day(3, 2), days=3)
    login_as(hr)
    response = _answer(client, agreement, period, "confirm")
    assert "the reservist and the unit see it now" in response.get_data(as_text=True)
    row = db.session.scalar(db.select(PeriodAnswer))
    assert (row.answer, row.days, row.revision) == ("confirmed", 3, period.revision)
    assert "confirmed your training period" in text_of(last_mail_to("reservist@example.be"))
    login_as(reservist)
    assert "confirmed" in client.get("/reserve/employer/").get_data(as_text=True)
    login_as("admin", password=None, language="en")
    staff_page = client.get("/admin/employers/agreements").get_data(as_text=True)
    assert reservist.full_name in staff_page and "confirmed" in staff_page


def test_declining_needs_a_reason_and_may_propose_another_date(client, login_as, setting,
                                                               calendar):
    _bakery, hr, reservist, agreement = setting
    period = calendar.plan(reservist, _next_year_day(3, 2))
    login_as(hr)
    response = _answer(client, agreement, period, "decline", reason="")
    assert "Give a reason" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(PeriodAnswer)) is None
    other = _next_year_day(4, 6)
    _answer(client, agreement, period, "decline", reason="Inventory week",
            proposed_date=other.isoformat())
    row = db.session.scalar(db.select(PeriodAnswer))
    assert (row.answer, row.reason, row.proposed_date) == ("declined", "Inventory week", other)
    login_as(reservist)
    page = client.get("/reserve/employer/").get_data(as_text=True)
    assert "Inventory week" in page


def test_confirming_a_period_moved_meanwhile_is_refused_with_the_new_dates(client, login_as,
                                                                           setting, calendar):
    _bakery, hr, reservist, agreement = setting
    period = calendar.plan(reservist, _next_year_day(3, 2))
    login_as(hr)
    client.get(f"/employer/agreements/{agreement.id}")
    calendar.move(period.key, _next_year_day(3, 16))  # the unit moves it meanwhile
    response = _answer(client, agreement, period, "confirm")  # the old revision
    body = response.get_data(as_text=True)
    assert "was moved meanwhile" in body and "16" in body
    assert db.session.scalar(db.select(PeriodAnswer)) is None


def test_an_answer_to_a_period_moved_after_it_asks_for_a_new_answer(client, login_as,
                                                                    setting, calendar):
    _bakery, hr, reservist, agreement = setting
    period = calendar.plan(reservist, _next_year_day(3, 2))
    login_as(hr)
    _answer(client, agreement, period, "confirm")
    moved = calendar.move(period.key, _next_year_day(3, 16))
    page = client.get(f"/employer/agreements/{agreement.id}").get_data(as_text=True)
    assert "moved after your answer" in page
    _answer(client, agreement, moved, "confirm")
    row = db.session.scalar(db.select(PeriodAnswer))
    assert row.revision == moved.revision and row.starts_on == moved.starts_on


def test_days_beyond_the_agreement_are_refused(client, login_as, setting, calendar):
    _bakery, hr, reservist, agreement = setting
    allowed = agreement.terms.days_per_year  # 15 by default
    first = calendar.plan(reservist, _next_year_day(2, 1), days=allowed - 2)
    second = calendar.plan(reservist, _next_year_day(6, 1), days=3)
    login_as(hr)
    _answer(client, agreement, first, "confirm")
    response = _answer(client, agreement, second, "confirm")
    body = response.get_data(as_text=True)
    assert f"bring the year to {allowed + 1} days" in body
    assert db.session.scalar(db.select(db.func.count()).select_from(PeriodAnswer)) == 1
    # Declining it instead is fine.
    _answer(client, agreement, second, "decline", reason="Over the agreed days")
    assert db.session.scalar(db.select(db.func.count()).select_from(PeriodAnswer)) == 2


def test_periods_are_answered_only_under_a_signed_agreement(client, login_as, setting,
                                                            calendar):
    from portal.employers import workflow

    _bakery, hr, reservist, agreement = setting
    period = calendar.plan(reservist, _next_year_day(3, 2))
    workflow.transition(agreement, "suspend", hr, "Restructuring")
    db.session.commit()
    login_as(hr)
    response = _answer(client, agreement, period, "confirm")
    assert "only under a signed agreement" in response.get_data(as_text=True)


def test_a_cancelled_period_cannot_be_answered(client, login_as, setting, calendar):
    _bakery, hr, reservist, agreement = setting
    period = calendar.plan(reservist, _next_year_day(3, 2))
    login_as(hr)
    _answer(client, agreement, period, "confirm")
    del calendar.periods[period.key]
    response = _answer(client, agreement, period, "decline", reason="x")
    assert "cancelled meanwhile" in response.get_data(as_text=True)
