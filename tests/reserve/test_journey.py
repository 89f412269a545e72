"""From a completed service year to an approved reservist with a confirmed training year
and a working calendar feed; and a direct expert application to the specialised reserve."""
from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest

from portal.applications import workflow as application_workflow
from portal.applications.models import Status
from portal.extensions import db
from portal.letters.models import Letter
from portal.reserve.models import (
    Assignment,
    ChoiceStatus,
    Engagement,
    EngagementStatus,
    TrainingPeriod,
    YearEndChoice,
)
from tests.support import factories
from tests.support import reserve as helpers
from tests.support import review as rh
from tests.support.client import csrf_token, login, post_form
from tests.support.mail import outbox, text_of
from tests.support.reserve import PDF


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_service_year_to_reservist_with_a_confirmed_year_and_a_feed(app, client, language):
    intake = factories.intake(start_date=date.today() - timedelta(days=400))
    application = rh.application(intake, status=Status.IN_SERVICE, language=language)
    citizen = db.session.get(type(factories.user()), application.user_id)
    recruiter = factories.user(role="recruiter", language=language)
    unit_staff = factories.user(role="unit_staff", language=language)
    unit = helpers.unit(pillar="combat", province="west_flanders", staff=[unit_staff],
                        name="3rd Lancers Reserve Company")
    db.session.commit()

    # The daily command completes the year; the participant is asked, by e-mail too.
    result = app.test_cli_runner().invoke(args=["reserve", "close-years"])
    assert "1 service year(s) completed" in result.output
    db.session.expire_all()
    assert db.session.get(type(application), application.id).status == Status.COMPLETED
    mail = [m for m in outbox() if m["To"] == citizen.email][-1]
    assert mail["Content-Language"] == language
    assert "/reserve/choice" in text_of(mail)

    login(client, citizen)
    page = client.get("/reserve").get_data(as_text=True)
    assert "/reserve/choice" in page
    response = post_form(client, "/reserve/choice", {"option": "reserve"})
    assert response.headers["Location"].endswith("/reserve/apply")
    response = post_form(client, "/reserve/apply", {
        "pillar": "combat", "rank_category": "soldier", "days_per_year": "10",
        "commitment_months": "24", "availability": "part_time", "unit_1": str(unit.id),
        "unit_2": "0", "unit_3": "0", "street": "Kerkstraat 12", "postcode": "8400",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    engagement = db.session.scalar(db.select(Engagement))
    db.session.expire_all()
    assert engagement.origin == "service_year" and engagement.province == "west_flanders"
    assert db.session.get(type(application), application.id).status == Status.RESERVE
    assert db.session.scalar(db.select(YearEndChoice)).status == ChoiceStatus.RESERVE

    # The recruiter screens and approves: the bilingual engagement letter is issued.
    login(client, recruiter)
    page_url = f"/staff/reserve/engagements/{engagement.id}"
    for action, extra in (("start_screening", {}),
                          ("approve", {"unit_id": str(unit.id),
                                       "start_date": date.today().isoformat()})):
        response = post_form(client, f"{page_url}/move",
                             {"action": action, "version": str(engagement.version), **extra},
                             page=page_url)
        assert response.status_code == 302
        db.session.expire_all()
    assert engagement.status == EngagementStatus.APPROVED
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "reserve"))
    expected = {"nl": "nl,fr", "fr": "fr,nl", "de": "de,fr,nl"}[language]
    assert letter.languages == expected and letter.pdf.startswith(b"%PDF")
    # The reservist finds the letter on their engagement page and downloads it.
    login(client, citizen)
    page = client.get(f"/reserve/engagements/{engagement.id}")
    assert page.status_code == 200
    assert f'href="/letters/{letter.public_id}.pdf"' in page.get_data(as_text=True)
    download = client.get(f"/letters/{letter.public_id}.pdf")
    assert download.status_code == 200 and download.data == letter.pdf
    app.test_cli_runner().invoke(args=["reserve", "start-engagements"])
    db.session.expire_all()
    assert engagement.status == EngagementStatus.ACTIVE

    # The unit plans a period and assigns the reservist; the reservist confirms.
    login(client, unit_staff)
    start = date.today() + timedelta(days=40)
    response = post_form(client, f"/units/{unit.id}/periods/new", {
        "kind": "refresher", "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=2)).isoformat(), "place": "Kamp Elsenborn",
        "capacity": "20"})
    assert response.status_code == 302
    period = db.session.scalar(db.select(TrainingPeriod))
    response = post_form(client, f"/units/periods/{period.id}/assign",
                         {"engagement_id": str(engagement.id)},
                         page=f"/units/periods/{period.id}")
    assert response.status_code == 302
    assignment = db.session.scalar(db.select(Assignment))
    assert assignment.status == "planned"

    login(client, citizen)
    year = client.get(f"/reserve/year?year={start.year}").get_data(as_text=True)
    assert "Kamp Elsenborn" in year
    token = csrf_token(client, f"/reserve/year?year={start.year}")
    client.post(f"/reserve/assignments/{assignment.id}/confirm", data={"csrf_token": token})
    db.session.expire_all()
    assert assignment.status == "confirmed"

    # The private feed: made once, shown once, readable by a calendar app.
    post_form(client, "/reserve/calendar/renew", {}, page="/reserve/calendar")
    page = client.get("/reserve/calendar").get_data(as_text=True)
    link = page.split('id="feed-link" type="text" readonly value="')[1].split('"')[0]
    assert "/reserve/feed/" in link
    client.get("/logout")
    anonymous = app.test_client()
    feed = anonymous.get(link.split("portal.test", 1)[-1].replace("http://localhost", ""))
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(feed.data)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1 and str(events[0]["STATUS"]) == "CONFIRMED"
    assert str(events[0]["LOCATION"]) == "Kamp Elsenborn"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert events[0]["DTSTART"].dt.tzinfo is not None


def test_a_direct_expert_application_to_the_specialised_reserve(app, client):
    expert = factories.user(language="fr")
    recruiter = factories.user(role="recruiter")
    cyber = helpers.skill("cyber")
    unit = helpers.unit(pillar="specialised", province="brussels", skills=[cyber],
                        name="Cyber Reserve Detachment")
    db.session.commit()
    login(client, expert)
    # Suggestions say why a unit fits.
    response = post_form(client, "/reserve/apply", {
        "pillar": "specialised", "rank_category": "officer", "days_per_year": "12",
        "commitment_months": "36", "skills": [str(cyber.id)], "postcode": "1050",
        "street": "Rue du Bailli 8", "suggest": "1"})
    page = response.get_data(as_text=True)
    assert "Cyber Reserve Detachment" in page and "1" in page
    assert db.session.scalar(db.select(Engagement)) is None
    response = post_form(client, "/reserve/apply", {
        "pillar": "specialised", "rank_category": "officer", "days_per_year": "12",
        "commitment_months": "36", "availability": "part_time", "unit_1": str(unit.id),
        "skills": [str(cyber.id)], "expertise_text": "SOC analyst", "postcode": "1050",
        "street": "Rue du Bailli 8"})
    assert response.status_code == 302
    engagement = db.session.scalar(db.select(Engagement))
    assert engagement.origin == "direct" and [s.code for s in engagement.skills] == ["cyber"]

    from io import BytesIO

    page = f"/reserve/engagements/{engagement.id}"
    response = post_form(client, f"{page}/proofs",
                         {"file": (BytesIO(PDF), "diploma.pdf")}, page=page,
                         content_type="multipart/form-data")
    assert response.status_code == 302
    proof = engagement.proofs[0] if engagement.proofs else None
    db.session.expire_all()
    proof = db.session.get(Engagement, engagement.id).proofs[0]
    download = client.get(f"/reserve/proofs/{proof.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")

    login(client, recruiter)
    assert client.get(f"/reserve/proofs/{proof.id}").status_code == 200
    url = f"/staff/reserve/engagements/{engagement.id}"
    assert "SOC analyst" in client.get(url).get_data(as_text=True)
    post_form(client, f"{url}/move", {"action": "start_screening",
                                      "version": str(engagement.version)}, page=url)
    db.session.expire_all()
    post_form(client, f"{url}/move", {"action": "approve", "version": str(engagement.version),
                                      "unit_id": str(unit.id),
                                      "start_date": (date.today() + timedelta(days=30))
                                      .isoformat()}, page=url)
    db.session.expire_all()
    assert engagement.status == EngagementStatus.APPROVED
    assert engagement.end_date == date(engagement.start_date.year + 3,
                                       engagement.start_date.month, engagement.start_date.day) \
        or engagement.end_date.month == engagement.start_date.month
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "reserve"))
    assert letter.languages == "fr,nl" and letter.user_id == expert.id
    assert any(m["To"] == expert.email and m["Content-Language"] == "fr" for m in outbox())


def test_a_recruiter_completing_the_year_asks_the_participant(app):
    intake = factories.intake()
    application = rh.application(intake, status=Status.IN_SERVICE)
    recruiter = factories.user(role="recruiter")
    application_workflow.transition(application, "complete", recruiter)
    choice = db.session.scalar(db.select(YearEndChoice))
    assert choice.status == ChoiceStatus.OPEN and choice.deadline == date.today() + timedelta(30)
    assert outbox() == []  # nothing leaves before the commit
    db.session.commit()
    assert len(outbox()) == 1
