"""A selection day's dates, hours and night at the centre are data that staff set up and
edit (checked: the end after the start, the second day after the first); the convocation
prints them in every language of the letter, one day when the selection takes one. Editing
what the convocation prints sends the candidates still to come a new one and a message."""
from __future__ import annotations

from datetime import date, time, timedelta

from portal.accounts.models import User
from portal.applications.intakes.models import SelectionDay
from portal.applications.models import Status
from portal.applications.review import services as review_services
from portal.audit import AuditEvent
from portal.extensions import db
from portal.letters.models import Letter
from portal.letters.pending import LETTERS
from portal.notifications.models import Notification
from portal.outbox import Delivery
from tests.support import factories
from tests.support import review as h
from tests.support.client import login, post_form
from tests.support.letters import pdf_text
from tests.support.mail import outbox, text_of

FIRST = date.today() + timedelta(days=30)


def _text(letter: Letter) -> str:
    return " ".join(pdf_text(letter.pdf).replace("\u00a0", " ").replace("\u202f", " ").split())


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
                       **{"capacity": 10, **fields})
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
    assert "Na de eerste dag ga je naar huis" in text
    assert "Tu rentres chez toi après le premier jour" in text


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


# --- a day that changes after its convocations went out --------------------------------

def _convoked_day():
    """A one-day selection 08:00-16:00 of 5 places, with two candidates whose tests are to
    come, one who withdrew and one rejected, all convoked to it."""
    day = _day(starts_at=time(8, 0), ends_at=time(16, 0), capacity=5)
    candidates = {}
    for name, status in (("first", Status.TESTS_SCHEDULED), ("second", Status.TESTS_SCHEDULED),
                         ("withdrawn", Status.WITHDRAWN), ("rejected", Status.REJECTED)):
        candidates[name] = h.application(day.intake, status=status, language="fr",
                                         postcode="1000")
        h.convoke(candidates[name], day)
    db.session.commit()
    return day, candidates


def _edit(client, selection_day: SelectionDay, **changes):
    """Post the edit form with the day as it stands, but for `changes`."""
    d = selection_day
    form = {"day": d.day.isoformat(), "place": d.place, "capacity": str(d.capacity),
            "starts_at": f"{d.starts_at:%H:%M}", "ends_at": f"{d.ends_at:%H:%M}", **changes}
    return post_form(client, f"/review/intakes/{d.intake_id}/selection-days/{d.id}", form,
                     follow_redirects=True)


def _convocations(application) -> list[Letter]:
    return list(db.session.scalars(db.select(Letter).where(
        Letter.kind == "convocation", Letter.subject_type == "Application",
        Letter.subject_id == str(application.id)).order_by(Letter.id)))


def _told(kind: str = "convocation_changed") -> set[int]:
    return {n.application_id for n in db.session.scalars(
        db.select(Notification).where(Notification.kind == kind))}


def test_the_edit_page_says_how_many_candidates_a_change_would_reach(app, client, login_as):
    day, _candidates = _convoked_day()
    login_as("recruiter", language="en")
    page = client.get(f"/review/intakes/{day.intake_id}/selection-days/{day.id}")
    assert "2 candidates are convoked on this day" in " ".join(
        page.get_data(as_text=True).split())


def test_new_hours_send_each_candidate_still_to_come_a_new_convocation_and_a_message(
        app, client, login_as):
    day, candidates = _convoked_day()
    recruiter = login_as("recruiter", language="en")
    response = _edit(client, day, starts_at="09:15", ends_at="18:45")
    assert response.status_code == 200
    page = " ".join(response.get_data(as_text=True).split())
    assert "Selection day saved. 2 candidates get a new convocation" in page

    db.session.commit()  # the letters are rendered once the edit commits
    assert db.session.scalar(db.select(Delivery).where(LETTERS)) is None
    for name in ("first", "second"):
        letters = _convocations(candidates[name])
        assert len(letters) == 1, name
        text = _text(letters[0])
        assert "de 09:15 à 18:45" in text and "van 09:15 tot 18:45" in text
        assert "de 08:00 à 16:00" not in text
        assert "Cette convocation remplace celle que nous t'avons envoyée" in text
    for name in ("withdrawn", "rejected"):
        assert _convocations(candidates[name]) == [], name
    assert _told() == {candidates["first"].id, candidates["second"].id}
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "selection_day.updated"))
    assert event.actor_id == recruiter.id
    assert '"reconvoked": 2' in event.details and "starts_at" in event.details


def test_the_message_gives_the_new_date_and_place(app, client, login_as):
    day, candidates = _convoked_day()
    login_as("recruiter", language="en")
    later = FIRST + timedelta(days=3)
    _edit(client, day, day=later.isoformat(), place="Kwartier Bourg-Léopold")
    db.session.commit()
    changed = [m for m in outbox() if "Kwartier Bourg-Léopold" in text_of(m)]
    assert len(changed) == 2
    assert changed[0]["Subject"] == "Ta convocation aux journées de sélection a changé"
    assert str(later.year) in text_of(changed[0])
    for name in ("first", "second"):
        assert "Kwartier Bourg-Léopold" in _text(_convocations(candidates[name])[-1])


def test_a_second_change_tells_the_candidates_again(app, client, login_as):
    day, candidates = _convoked_day()
    login_as("recruiter", language="en")
    _edit(client, day, ends_at="17:00")
    _edit(client, day, ends_at="17:30")
    db.session.commit()
    assert len(_convocations(candidates["first"])) == 2
    assert "de 08:00 à 17:30" in _text(_convocations(candidates["first"])[-1])
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
        Notification.kind == "convocation_changed",
        Notification.application_id == candidates["first"].id)) == 2
    # The candidate's page (in French) marks the earlier convocation as replaced, not the
    # latest.
    first = candidates["first"]
    login(client, db.session.get(User, first.user_id))
    page = " ".join(client.get(f"/my-application/{first.id}").get_data(as_text=True).split())
    earlier, latest = (letter.reference for letter in _convocations(first))
    marked = "Remplacée par la convocation plus récente ci-dessous"
    assert page.count(marked) == 1
    assert page.index(earlier) < page.index(marked) < page.index(latest)


def test_changing_only_the_capacity_sends_nothing(app, client, login_as):
    day, candidates = _convoked_day()
    login_as("recruiter", language="en")
    response = _edit(client, day, capacity="8")
    page = " ".join(response.get_data(as_text=True).split())
    assert "Selection day saved." in page and "new convocation" not in page
    db.session.commit()
    db.session.refresh(day)
    assert day.capacity == 8
    assert db.session.scalar(db.select(Letter)) is None
    assert db.session.scalar(db.select(Delivery).where(LETTERS)) is None
    assert _told() == set()
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "selection_day.updated"))
    assert '"reconvoked": 0' in event.details


def test_the_capacity_counts_only_candidates_still_holding_a_place(app, client, login_as):
    day, _candidates = _convoked_day()
    login_as("recruiter", language="en")
    assert "Selection day saved." in _edit(client, day, capacity="2").get_data(as_text=True)
    db.session.refresh(day)
    assert day.capacity == 2
    refused = _edit(client, day, capacity="1")
    assert refused.status_code == 400
    assert "Places already booked: 2." in refused.get_data(as_text=True)
