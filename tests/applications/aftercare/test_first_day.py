"""The first day of service, as staff set it on the intake form: a page of the accepted
offer, a calendar event (times in UTC) and a part of the offer letter."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

from portal.applications import workflow
from portal.applications.models import Intake, Status
from portal.extensions import db
from portal.letters.models import Letter
from tests.support import factories
from tests.support import review as h
from tests.support.client import post_form
from tests.support.letters import pdf_text

PLACE = "Kwartier Luitenant-Generaal Baron Jacques, Aarlen"
BRING = "identity card\nbank account number\n- sports shoes"


def _intake_form(intake: Intake, **over) -> dict:
    data = {
        "name": intake.name, "applications_open": intake.applications_open.isoformat(),
        "applications_close": intake.applications_close.isoformat(),
        "start_date": intake.start_date.isoformat(), "quota_total": "11",
        "quota_land": "5", "quota_air": "2", "quota_navy": "2", "quota_medical": "1",
        "quota_cyber": "1", "min_age": "18", "max_age": "25", "nationality_rule": "belgian",
        "flag_after_days": "14", "offer_days": "10", "reschedule_days": "4",
        "first_day_time": "08:30", "first_day_place": PLACE, "first_day_bring": BRING,
        "first_day_pay": "Paid monthly from the first day, according to your rank.",
        "first_day_lodging": "A bed in a shared room at the barracks, Monday to Friday.",
        "first_day_travel": "Free train travel with the ticket in this letter.",
    }
    data.update(over)
    return data


def _set_by_admin(client, login_as, intake):
    login_as("admin", language="en")
    response = post_form(client, f"/admin/intakes/{intake.id}/edit", _intake_form(intake),
                         follow_redirects=True)
    assert f"Intake {intake.name} saved." in response.get_data(as_text=True)
    db.session.expire_all()


def _accepted(login_as, intake):
    user = login_as("citizen", language="en")
    application = h.application(intake, status=Status.OFFER_ACCEPTED, user=user,
                                language="en")
    db.session.commit()
    return application


def test_staff_set_the_first_day_on_the_intake_form(client, login_as):
    intake = factories.intake()
    db.session.commit()
    _set_by_admin(client, login_as, intake)
    intake = db.session.get(Intake, intake.id)
    assert intake.first_day_time == time(8, 30) and intake.first_day_place == PLACE
    assert intake.reschedule_days == 4
    # A time without a place is refused, next to the field.
    response = post_form(client, f"/admin/intakes/{intake.id}/edit",
                         _intake_form(intake, first_day_place=""))
    assert "Give both the time and the place of the first day, or neither." in \
        response.get_data(as_text=True)


def test_the_accepted_offer_shows_the_first_day_and_its_calendar_event(client, login_as):
    intake = factories.intake()
    db.session.commit()
    _set_by_admin(client, login_as, intake)
    application = _accepted(login_as, intake)
    status = client.get(f"/my-application/{application.id}").get_data(as_text=True)
    assert "Your first day" in status
    page = " ".join(client.get(f"/my-application/{application.id}/first-day")
                    .get_data(as_text=True).split())
    assert PLACE in page and "8:30" in page
    assert "<li>bank account number</li>" in page and "<li>sports shoes</li>" in page
    assert "Paid monthly from the first day" in page and "shared room" in page
    ics = client.get(f"/my-application/{application.id}/first-day.ics")
    assert ics.mimetype == "text/calendar"
    raw = ics.get_data(as_text=True)
    assert "RDATE" not in raw and "VTIMEZONE" not in raw
    event = icalendar.Calendar.from_ical(ics.data).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    expected = datetime.combine(intake.start_date, time(8, 30),
                                tzinfo=ZoneInfo("Europe/Brussels")).astimezone(UTC)
    assert start == expected and start.tzinfo is not None and start.utcoffset() == timedelta(0)
    assert str(event["location"]) == PLACE
    assert "bank account number" in str(event["description"])


def test_the_offer_letter_prints_the_first_day(client, login_as):
    intake = factories.intake()
    db.session.commit()
    _set_by_admin(client, login_as, intake)
    application = h.application(intake, status=Status.WAITLISTED, language="en")
    db.session.commit()
    workflow.transition(application, "select", None, "test set-up")
    db.session.commit()  # the decision letter is made after the commit
    letter = db.session.scalars(db.select(Letter).where(Letter.kind == "decision")).one()
    text = " ".join(pdf_text(letter.pdf).split())
    assert PLACE in text and "bank account number" in text
    assert "shared room" in text


def test_before_staff_set_it_the_page_says_so_and_there_is_no_event(client, login_as):
    intake = factories.intake()
    db.session.commit()
    application = _accepted(login_as, intake)
    page = client.get(f"/my-application/{application.id}/first-day").get_data(as_text=True)
    assert "are not set yet" in page
    assert client.get(f"/my-application/{application.id}/first-day.ics").status_code == 404
