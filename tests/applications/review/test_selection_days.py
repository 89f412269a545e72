"""A selection day's dates, hours and night at the centre are data that staff set up and
edit (checked: the end after the start, the second day after the first); the convocation
prints them in every language of the letter, one day when the selection takes one."""
from __future__ import annotations

from datetime import date, time, timedelta

from portal.applications.intakes.models import SelectionDay
from portal.applications.models import Status
from portal.applications.review import services as review_services
from portal.audit import AuditEvent
from portal.extensions import db
from portal.letters.models import Letter
from tests.support import factories
from tests.support import review as h
from tests.support.client import post_form
from tests.support.letters import pdf_text

FIRST = date.today() + timedelta(days=30)


def _convocation_text(day: SelectionDay, language: str, postcode: str = "1000") -> str:
    app_ = h.application(day.intake, status=Status.SCREENING, language=language,
                         postcode=postcode)
    review_services.schedule_tests(app_, day, factories.user("recruiter", password=None),
                                   app_.version)
    db.session.commit()  # the letter is rendered once the move commits
    letter = db.session.scalars(db.select(Letter).where(
        Letter.subject_type == "Application", Letter.subject_id == str(app_.id))).one()
    return " ".join(pdf_text(letter.pdf).replace("\u00a0", " ").replace("\u202f", " ").split())


def _day(**fields) -> SelectionDay:
    day = SelectionDay(intake=factories.intake(), day=FIRST, place="Kwartier Peutie",
                       capacity=10, **fields)
    db.session.add(day)
    db.session.flush()
    return day


def test_a_two_day_selection_with_a_night_prints_both_days_and_their_hours(app):
    day = _day(starts_at=time(8, 0), ends_at=time(16, 30), second_day=FIRST + timedelta(days=1),
               second_starts_at=time(8, 15), second_ends_at=time(14, 0), overnight=True)
    text = _convocation_text(day, "fr")
    second = FIRST + timedelta(days=1)
    for words in ("Jour 1", "de 08:00 à 16:30", "Jour 2", "de 08:15 à 14:00",
                  "Dag 1", "van 08:00 tot 16:30", "Dag 2", "van 08:15 tot 14:00",
                  "lit dans une chambre partagée", "bed in een gedeelde kamer",
                  f"{second.day} "):
        assert words in text, words
    assert "La sélection dure une journée" not in text


def test_a_one_day_selection_prints_one_day(app):
    day = _day(starts_at=time(9, 0), ends_at=time(17, 45))
    text = _convocation_text(day, "nl", postcode="9000")
    assert "van 09:00 tot 17:45" in text and "de 09:00 à 17:45" in text
    assert "De selectie duurt één dag." in text and "La sélection dure une journée." in text
    for absent in ("Dag 2", "Jour 2", "Dag 1", "bed in een gedeelde kamer",
                   "lit dans une chambre partagée"):
        assert absent not in text, absent


def test_two_days_without_a_night_say_so_in_german_too(app):
    day = _day(second_day=FIRST + timedelta(days=7), second_starts_at=time(7, 30),
               second_ends_at=time(12, 0))
    text = _convocation_text(day, "de", postcode="4700")
    assert "Tag 2" in text and "von 07:30 bis 12:00" in text
    assert "Nach dem ersten Tag fährst du nach Hause" in text
    assert "Na de eerste dag gaat u naar huis" in text
    assert "Vous rentrez chez vous après le premier jour" in text


def test_staff_set_up_and_edit_the_days_and_hours_checked(app, client, login_as):
    intake = factories.intake()
    db.session.commit()
    recruiter = login_as("recruiter", language="en")
    url = f"/review/intakes/{intake.id}/selection-days"
    base = {"day": FIRST.isoformat(), "place": "Kwartier Peutie", "capacity": "5",
            "starts_at": "08:00", "ends_at": "16:00"}
    response = post_form(client, url, {**base, "ends_at": "07:00"})
    assert response.status_code == 400
    assert "The end must be after the start." in response.get_data(as_text=True)
    response = post_form(client, url, {**base, "second_day": FIRST.isoformat(),
                                       "second_starts_at": "08:00", "second_ends_at": "12:00"})
    assert response.status_code == 400
    assert "The second day must come after the first." in response.get_data(as_text=True)
    response = post_form(client, url, {**base, "overnight": "y"})
    assert "A night at the centre needs a second day." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(SelectionDay).where(
        SelectionDay.intake_id == intake.id)) is None

    assert post_form(client, url, base).status_code == 302
    day = db.session.scalar(db.select(SelectionDay).where(SelectionDay.intake_id == intake.id))
    assert (day.starts_at, day.ends_at, day.second_day) == (time(8), time(16), None)
    edit = f"{url}/{day.id}"
    response = post_form(client, edit, {**base, "second_day": (FIRST + timedelta(days=1))
                                        .isoformat(), "second_starts_at": "08:00",
                                        "second_ends_at": "09:00", "overnight": "y"})
    assert response.status_code == 302
    db.session.refresh(day)
    assert day.second_day == FIRST + timedelta(days=1) and day.overnight
    assert (day.second_starts_at, day.second_ends_at) == (time(8), time(9))
    page = client.get(url).get_data(as_text=True)
    assert "with a night at the centre" in page and "8:00" in page
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "selection_day.updated"))
    assert event.actor_id == recruiter.id
    # A second day's end before its start is refused on edit as well.
    response = post_form(client, edit, {**base, "second_day": (FIRST + timedelta(days=1))
                                        .isoformat(), "second_starts_at": "10:00",
                                        "second_ends_at": "09:00"})
    assert response.status_code == 400
    assert "The end must be after the start." in response.get_data(as_text=True)
    # Another intake's day is not found under this intake.
    other = _day()
    db.session.commit()
    assert client.get(f"{url}/{other.id}").status_code == 404
