"""The training year: swaps asked and answered, attendance, served days and compensatory
leave, planned versus committed days, and the calendar following every change."""
from __future__ import annotations

from datetime import date, timedelta

import icalendar

from portal import i18n
from portal.extensions import db
from portal.reserve import feed, training
from portal.reserve.models import EngagementStatus
from portal.reserve.units import views as unit_views
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.client import login, post_form
from tests.support.mail import outbox


def _scene():
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    engagement = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit, days_per_year=10)
    user = db.session.get(type(staff), engagement.user_id)
    return staff, unit, engagement, user


def _events(client, token):
    calendar = icalendar.Calendar.from_ical(client.get(f"/reserve/feed/{token}.ics").data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_a_swap_asked_and_accepted_cancels_the_entry_in_the_calendar(app, client):
    staff, unit, engagement, user = _scene()
    period = helpers.period(unit, starts_in=20, days=3)
    assignment = training.assign(period, engagement, staff)
    token = feed.renew(user)
    db.session.commit()
    before = _events(client, token)
    (uid, event), = before.items()
    assert str(event["STATUS"]) == "TENTATIVE"

    login(client, user)
    post_form(client, f"/reserve/assignments/{assignment.id}/swap",
              {"reason": "Examen aan de universiteit die week"})
    db.session.expire_all()
    assert assignment.status == "swap_requested"

    login(client, staff)
    page = f"/units/periods/{period.id}"
    assert "Examen aan de universiteit" in client.get(page).get_data(as_text=True)
    response = post_form(client, f"/units/assignments/{assignment.id}/accept_swap",
                         {"answer": "OK, we plannen je in maart in."}, page=page)
    assert response.status_code == 302
    after = _events(client, token)
    assert list(after) == [uid]  # the same UID, so calendars update the entry
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    assert int(after[uid]["SEQUENCE"]) > int(event["SEQUENCE"])
    assert any("ruilaanvraag werd aanvaard" in (m["Subject"] or "") for m in outbox())


def test_a_cancelled_period_shows_as_cancelled_and_a_moved_one_updates(app, client):
    staff, unit, engagement, user = _scene()
    period = helpers.period(unit, starts_in=20, days=2)
    training.assign(period, engagement, staff)
    token = feed.renew(user)
    db.session.commit()
    first = next(iter(_events(client, token).values()))
    training.cancel_period(period, staff)
    db.session.commit()
    cancelled = next(iter(_events(client, token).values()))
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(first["SEQUENCE"])
    assert str(cancelled["UID"]) == str(first["UID"])


def test_attendance_counts_towards_the_year_and_compensatory_leave(app, client):
    staff, unit, engagement, user = _scene()
    past = helpers.period(unit, starts_in=-10, days=3)
    future = helpers.period(unit, starts_in=10, days=4)
    done = helpers.assignment(past, engagement)
    helpers.assignment(future, engagement)
    db.session.commit()
    login(client, staff)
    page = f"/units/periods/{past.id}"
    response = post_form(client, f"/units/assignments/{done.id}/record_attendance",
                         {"served_days": "2"}, page=page)
    assert response.status_code == 302
    db.session.expire_all()
    assert done.status == "served" and done.served_days == 2
    year = past.starts_on.year
    assert training.served_days(user.id, year) == 2
    summary = training.year_summary(engagement, year)
    assert summary.served == 2 and summary.leave == 2.0
    app.config["RESERVE_LEAVE_PER_SERVED_DAY"] = 0.75
    try:
        assert training.leave_days(3) == 2.0  # 2.25 rounded down to half days
    finally:
        app.config["RESERVE_LEAVE_PER_SERVED_DAY"] = 1.0
    login(client, user)
    page = client.get(f"/reserve/year?year={year}").get_data(as_text=True)
    assert "Gediende dagen" in page and "Verdiend compensatieverlof" in page


def test_planned_days_are_compared_with_the_minimum_and_the_commitment(app):
    staff, unit, engagement, _user = _scene()
    year = date.today().year
    start = date(year, 12, 1) if date.today() < date(year, 11, 20) else date.today()
    period = helpers.period(unit, starts_in=(start - date.today()).days, days=3)
    training.assign(period, engagement, staff)
    with i18n.locale("en"):
        summary = training.year_summary(engagement, period.starts_on.year)
        assert summary.planned == 3
        assert summary.warnings == ["3 days planned: below the minimum of 5 days a year."]
        engagement.days_per_year = 2
        summary = training.year_summary(engagement, period.starts_on.year)
        assert "more than the 2 committed" in summary.warnings[-1]
    assert training.planned_days_by_engagement([engagement.id], period.starts_on.year) == {
        engagement.id: 3}


def test_a_refused_swap_goes_back_to_planned(app):
    staff, unit, engagement, user = _scene()
    assignment = training.assign(helpers.period(unit), engagement, staff)
    training.move(assignment, "confirm", user)
    training.move(assignment, "request_swap", user, reason="Huwelijk van mijn zus")
    training.move(assignment, "refuse_swap", staff, reason="Oefening is verplicht")
    assert assignment.status == "planned" and assignment.swap_answer == "Oefening is verplicht"


def test_other_domains_read_periods_with_place_dates_and_notice(app):
    staff, unit, engagement, user = _scene()
    period = helpers.period(unit, starts_in=45, days=2, place="Kamp Elsenborn")
    training.assign(period, engagement, staff)
    (assignment,) = training.periods_of(user.id, period.starts_on.year)
    assert assignment.period.place == "Kamp Elsenborn"
    assert assignment.period.starts_on == date.today() + timedelta(days=45)
    assert assignment.notice_days == 45


def test_unit_pages_show_periods_and_reservists(app, client):
    staff, unit, engagement, _user = _scene()
    period = helpers.period(unit, starts_in=5)
    training.assign(period, engagement, staff)
    db.session.commit()
    login(client, staff)
    page = client.get(f"/units/{unit.id}?year={period.starts_on.year}").get_data(as_text=True)
    assert "1 / 10" in page and engagement.full_name in page
    assert unit.name in client.get("/units").get_data(as_text=True)


def test_a_large_unit_finds_the_reservist_to_assign_by_name_or_reference(app, client,
                                                                          monkeypatch):
    """The assignment list offers the first reservists by last name and says how many there
    are; a search by name or reference reaches anyone of the unit, even beyond the list."""
    monkeypatch.setattr(unit_views, "ASSIGNABLE_LISTED", 3)
    staff, unit, first, _user = _scene()
    names = ["Aerts", "Baert", "Claes", "Desmet", "Wouters"]
    people = {name: helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit,
                                       user=factories.user(first_name="Lien", last_name=name))
              for name in names}
    period = helpers.period(unit, starts_in=20, days=3)
    db.session.commit()
    login(client, staff)
    url = f"/units/periods/{period.id}"
    page = client.get(url).get_data(as_text=True)
    assert "De eerste 3 van de 6 reservisten die kunnen worden toegewezen" in page
    assert "Lien Aerts" in page and "Lien Wouters" not in page
    found = client.get(url, query_string={"q": "wouters"}).get_data(as_text=True)
    assert "Lien Wouters" in found and "Lien Aerts" not in found
    by_reference = client.get(url, query_string={"q": people["Desmet"].reference})
    assert f"Lien Desmet ({people['Desmet'].reference})" in by_reference.get_data(as_text=True)
    # A wildcard is a character like another, never "everyone".
    none = client.get(url, query_string={"q": "%"}).get_data(as_text=True)
    assert "Geen reservist van de eenheid die kan worden toegewezen" in none
    assert 'name="engagement_id"' not in none
    response = post_form(client, f"{url}/assign",
                         {"engagement_id": str(people["Wouters"].id)}, page=f"{url}?q=wouters")
    assert response.status_code == 302
    after = client.get(url, query_string={"q": "wouters"}).get_data(as_text=True)
    assert "Lien Wouters" in after.split('id="assigned-title"')[1]  # on the period now
    assert "Geen reservist van de eenheid die kan worden toegewezen" in after
