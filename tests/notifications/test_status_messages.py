"""The status changes people used to learn of only by looking: each now sends a message in
the person's language, after the commit, with a link back into the portal."""
from __future__ import annotations

from datetime import UTC, date, timedelta
from email import policy
from email.parser import BytesParser
from zoneinfo import ZoneInfo

import icalendar

from portal.accounts.models import User
from portal.applications import workflow
from portal.applications.intakes import booking
from portal.applications.intakes.models import InfoSession
from portal.applications.models import Status
from portal.extensions import db
from portal.reserve import engagements, training, year_end
from portal.reserve.models import EngagementStatus, YearEndChoice
from tests.support import factories
from tests.support import reserve as rh
from tests.support import review as h
from tests.support.client import post_form
from tests.support.mail import html_of, last_mail_to, links_in, outbox, text_of


def _calendar(message) -> icalendar.Calendar:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.iter_attachments()]
    assert parts[0].get_filename().endswith(".ics")
    return icalendar.Calendar.from_ical(parts[0].get_content())


def test_booking_an_online_session_sends_the_link_to_join_and_a_calendar_entry(app):
    intake = factories.intake(name="Lichting 2027")
    session = factories.info_session(intake, online=True, place="Teams",
                                     join_url="https://meet.example.be/j/123")
    user = factories.user(language="fr", first_name="Zoé")
    db.session.commit()
    booking.book(user, session.id)
    db.session.commit()

    mail = last_mail_to(user.email)
    assert mail["Subject"] == "Ta place dans une séance d'information en ligne"
    assert 'href="https://meet.example.be/j/123"' in html_of(mail)
    assert "https://meet.example.be/j/123" in links_in(mail)
    local = session.starts_at.astimezone(ZoneInfo("Europe/Brussels"))
    assert f"{local:%H:%M}" in text_of(mail) and str(local.year) in text_of(mail)
    event, = _calendar(mail).walk("VEVENT")
    assert event["DTSTART"].dt == session.starts_at.astimezone(UTC)
    assert event["DTSTART"].to_ical().endswith(b"Z")  # UTC: no time zone to misread
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(
        minutes=app.config["INFO_SESSION_MINUTES"])
    assert str(event["URL"]) == "https://meet.example.be/j/123"
    assert "Lichting 2027" in str(event["SUMMARY"])


def test_a_session_in_a_place_gives_the_place_and_a_cancellation_is_confirmed(app):
    intake = factories.intake()
    session = factories.info_session(intake, place="Kwartier Peutie, Vilvoorde")
    user = factories.user(language="nl")
    db.session.commit()
    booking.book(user, session.id)
    db.session.commit()
    booked = last_mail_to(user.email)
    assert "Kwartier Peutie, Vilvoorde" in text_of(booked)
    assert any(f"/apply/{intake.id}/sessions" in link for link in links_in(booked))
    assert _calendar(booked).walk("VEVENT")[0]["LOCATION"] == "Kwartier Peutie, Vilvoorde"

    booking.cancel(user, intake.id)
    db.session.commit()
    cancelled = last_mail_to(user.email)
    assert cancelled is not booked and "geannuleerd" in cancelled["Subject"]
    assert list(cancelled.iter_attachments()) == []


def test_screening_passed_tests_and_an_accepted_offer_each_tell_the_candidate(app):
    intake = factories.intake(quota_total=5, quota_land=5)
    recruiter = factories.user("recruiter")
    submitted = h.application(intake, status=Status.SUBMITTED, language="de")
    tested = h.application(intake, status=Status.TESTS_SCHEDULED)
    h.convoke(tested, h.selection_day(intake))
    h.results(tested, passed=True)
    offered = h.application(intake, status=Status.SELECTED, offer_deadline=None)
    db.session.commit()

    workflow.transition(submitted, "start_screening", recruiter)
    workflow.transition(tested, "pass_tests", recruiter)
    candidate = db.session.get(User, offered.user_id)
    workflow.transition(offered, "accept_offer", candidate)
    db.session.commit()

    def mail_of(application):
        return last_mail_to(db.session.get(User, application.user_id).email)

    assert mail_of(submitted)["Subject"] == "Deine Bewerbung wird geprüft"
    assert submitted.reference in text_of(mail_of(submitted))
    assert mail_of(tested)["Subject"] == "Je bent geslaagd voor de selectieproeven"
    assert mail_of(offered)["Subject"] == "Je hebt je plaats aanvaard"
    assert any(link.endswith(f"/my-application/{offered.id}") for link in
               links_in(mail_of(offered)))


def test_a_direct_reserve_application_is_acknowledged(app):
    user = factories.user(language="nl")
    unit = rh.unit()
    db.session.commit()
    request = engagements.Request(pillar="combat", days_per_year=10, commitment_months=24,
                                  unit_ids=[unit.id], postcode="2000", street="Meir 1")
    engagement = engagements.apply(user, request)
    db.session.commit()
    mail = last_mail_to(user.email)
    assert mail["Subject"] == "We hebben je kandidatuur voor de Reserve ontvangen"
    assert engagement.reference in text_of(mail)
    assert any(link.endswith(f"/reserve/engagements/{engagement.id}") or
               f"/{engagement.id}" in link for link in links_in(mail))


def test_the_end_of_year_choice_is_confirmed_when_it_is_made(app):
    application = h.application(factories.intake(), status=Status.IN_SERVICE, language="fr")
    workflow.transition(application, "complete", None)
    db.session.commit()
    choice = db.session.scalar(db.select(YearEndChoice))
    user = db.session.get(User, application.user_id)
    before = len(outbox())
    year_end.choose(user, choice, "career")
    db.session.commit()
    assert len(outbox()) == before + 1
    assert last_mail_to(user.email)["Subject"] == "Ton choix : une carrière à la Défense"


def test_attendance_and_the_units_notes_reach_the_reservist(app):
    staff = factories.user(role="unit_staff")
    unit = rh.unit(staff=[staff])
    engagement = rh.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    user = db.session.get(User, engagement.user_id)
    period = rh.period(unit, starts_in=10, days=3,
                       notes="Meld je om 7.30 uur aan de wacht, met je identiteitskaart.")
    assignment = training.assign(period, engagement, staff)
    db.session.commit()
    planned = last_mail_to(user.email)
    assert "Meld je om 7.30 uur aan de wacht" in text_of(planned)
    assert period.starts_on.isoformat() not in text_of(planned)  # dates in words

    period.starts_on -= timedelta(days=20)
    period.ends_on -= timedelta(days=20)
    db.session.commit()
    training.move(assignment, "record_attendance", staff, served_days=2)
    db.session.commit()
    recorded = last_mail_to(user.email)
    assert recorded["Subject"] == "Je aanwezigheid is geregistreerd"
    assert "2" in text_of(recorded)


def test_every_message_goes_out_once_as_one_parseable_email(app):
    """The attachment keeps the e-mail one message a mail client reads (mixed: the text
    and HTML alternatives first)."""
    intake = factories.intake()
    session = factories.info_session(intake)
    user = factories.user()
    db.session.commit()
    booking.book(user, session.id)
    db.session.commit()
    raw = last_mail_to(user.email).as_bytes()
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert parsed.get_content_type() == "multipart/mixed"
    assert parsed.get_body(preferencelist=("plain",)) is not None


def test_staff_give_an_online_session_its_link_and_those_who_booked_receive_it(client,
                                                                              login_as):
    login_as("admin", language="en")
    intake = factories.intake()
    url = f"/admin/intakes/{intake.id}/sessions"
    when = (date.today() + timedelta(days=9)).isoformat() + "T19:00"
    refused = post_form(client, url, {"starts_at": when, "online": "y", "place": "Teams",
                                      "languages": ["nl"], "capacity": "50",
                                      "join_url": "javascript:alert(1)"})
    assert refused.status_code == 200
    assert "Enter a link that starts with https://." in refused.get_data(as_text=True)
    created = post_form(client, url, {"starts_at": when, "online": "y", "place": "Teams",
                                      "languages": ["nl"], "capacity": "50",
                                      "join_url": "https://meet.example.be/a"})
    assert created.status_code == 302
    session = db.session.scalar(db.select(InfoSession))
    booked = factories.user(language="nl")
    db.session.commit()
    booking.book(booked, session.id)
    db.session.commit()
    assert "https://meet.example.be/a" in links_in(last_mail_to(booked.email))

    page = f"{url}/{session.id}"
    assert post_form(client, page, {"capacity": "50", "join_url": ""}).status_code == 200
    moved = post_form(client, page, {"capacity": "50", "join_url": "https://meet.example.be/b"})
    assert moved.status_code == 302
    mail = last_mail_to(booked.email)
    assert "https://meet.example.be/b" in links_in(mail)
    assert 'href="https://meet.example.be/b"' in html_of(mail)


def test_the_units_answer_to_a_swap_request_reaches_the_reservist(app):
    staff = factories.user(role="unit_staff")
    unit = rh.unit(staff=[staff])
    engagement = rh.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    user = db.session.get(User, engagement.user_id)
    assignment = training.assign(rh.period(unit, starts_in=20), engagement, staff)
    training.move(assignment, "request_swap", user, reason="Examen aan de universiteit")
    db.session.commit()
    assert last_mail_to(user.email)["Subject"] == "We hebben je ruilaanvraag ontvangen"
    training.move(assignment, "refuse_swap", staff,
                  reason="Deze oefening is nodig voor je brevet; we helpen je met de school.")
    db.session.commit()
    refused = last_mail_to(user.email)
    assert "ruilaanvraag" in refused["Subject"]
    assert "Deze oefening is nodig voor je brevet" in text_of(refused)
