"""The employer pages read the reserve's own training calendar: a unit assigns a reservist
to a period, the HR users are told, confirm it; a cancelled period cannot be answered; the
days the unit records as served make the statement."""

import pytest

from portal.employers import periods, statements
from portal.employers.models import PeriodAnswer
from portal.employers.reserve_calendar import ReserveCalendar
from portal.extensions import db
from portal.reserve import training
from portal.reserve.models import EngagementStatus
from tests.employers.helpers import employer, hr_user, signed_agreement
from tests.support import factories, reserve
from tests.support.client import csrf_token
from tests.support.mail import last_mail_to, outbox, text_of


@pytest.fixture
def setting(app):
    previous = periods.use_source(ReserveCalendar())
    staff = factories.user(role="unit_staff", password=None, language="en")
    unit = reserve.unit(staff=[staff])
    reservist = factories.user(role="citizen", password=None, language="en",
                               first_name="An", last_name="Peeters")
    engagement = reserve.engagement(reservist, status=EngagementStatus.ACTIVE, unit=unit)
    company = employer()
    hr = hr_user(company, email="hr@bakkerij.be")
    agreement = signed_agreement(company, hr=hr, reservist=reservist)
    db.session.commit()
    yield staff, unit, engagement, hr, agreement
    periods.use_source(previous)


def test_a_period_the_unit_plans_reaches_the_employer_who_confirms_it(client, login_as,
                                                                      setting):
    staff, unit, engagement, hr, agreement = setting
    period = reserve.period(unit, starts_in=30, days=2, place="Kamp Beverlo")
    training.assign(period, engagement, staff)
    db.session.commit()
    mail = text_of(last_mail_to("hr@bakkerij.be"))
    assert "An Peeters" in mail and "Kamp Beverlo" in mail
    assert "later than the 60 days of notice" in mail  # announced 30 days ahead
    login_as(hr)
    page = client.get(f"/employer/agreements/{agreement.id}").get_data(as_text=True)
    assert "Kamp Beverlo" in page and "later than the agreed notice" in page
    [row] = periods.for_agreement(agreement)
    response = client.post(
        f"/employer/agreements/{agreement.id}/periods/{row.period.key}/confirm",
        data={"csrf_token": csrf_token(client, f"/employer/agreements/{agreement.id}"),
              "revision": row.period.revision})
    assert response.status_code == 302
    answer = db.session.scalar(db.select(PeriodAnswer))
    assert (answer.answer, answer.late, answer.days) == ("confirmed", True, 2)


def test_a_period_cancelled_meanwhile_cannot_be_answered(client, login_as, setting):
    staff, unit, engagement, hr, agreement = setting
    period = reserve.period(unit, starts_in=90)
    training.assign(period, engagement, staff)
    db.session.commit()
    [row] = periods.for_agreement(agreement)
    login_as(hr)
    client.get(f"/employer/agreements/{agreement.id}")
    training.cancel_period(period, staff, "Weather")
    db.session.commit()
    assert "cancelled" in text_of(last_mail_to("hr@bakkerij.be"))
    response = client.post(
        f"/employer/agreements/{agreement.id}/periods/{row.period.key}/confirm",
        data={"csrf_token": csrf_token(client, f"/employer/agreements/{agreement.id}"),
              "revision": row.period.revision}, follow_redirects=True)
    # The period is gone for the employer: nothing to answer, nothing stored.
    assert response.status_code in (200, 404)
    assert db.session.scalar(db.select(PeriodAnswer)) is None


def test_served_days_come_from_the_units_attendance(app, setting):
    staff, unit, engagement, _hr, agreement = setting
    period = reserve.period(unit, starts_in=-10, days=3)
    assignment = reserve.assignment(period, engagement)
    training.move(assignment, "record_attendance", staff, served_days=2)
    db.session.commit()
    year = period.starts_on.year
    statement = statements.statement_for(agreement.employer, year)
    assert [(line.reservist, line.served_days) for line in statement.lines] == [("An Peeters", 2)]


def test_no_mail_to_employers_without_a_signed_agreement(app, setting):
    staff, unit, engagement, _hr, agreement = setting
    from portal.employers import workflow

    workflow.transition(agreement, "end", agreement.reservist, "New job")
    db.session.commit()
    before = len(outbox())
    period = reserve.period(unit, starts_in=100)
    training.assign(period, engagement, staff)
    db.session.commit()
    assert [m for m in outbox()[before:] if m["To"] == "hr@bakkerij.be"] == []


def test_unit_staff_see_the_answers_about_their_units_periods_only(client, login_as, setting):
    staff, unit, engagement, hr, agreement = setting
    period = reserve.period(unit, starts_in=90, place="Kamp Beverlo")
    training.assign(period, engagement, staff)
    db.session.commit()
    [row] = periods.for_agreement(agreement)
    periods.answer(hr, agreement, row.period.key, revision=row.period.revision,
                   confirm=False, reason="Stock-taking week")
    db.session.commit()
    login_as(staff)
    page = client.get("/units/employer-answers/").get_data(as_text=True)
    assert "Stock-taking week" in page and "An Peeters" in page
    other_staff = factories.user(role="unit_staff", password=None, language="en")
    reserve.unit(staff=[other_staff])
    db.session.commit()
    login_as(other_staff)
    assert "Stock-taking week" not in client.get("/units/employer-answers/").get_data(
        as_text=True)
