"""Administrators create and edit intakes and their information sessions; the rules hold."""
from __future__ import annotations

from datetime import date, timedelta

from portal.applications.intakes.models import InfoSession
from portal.applications.models import Intake
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories
from tests.support.client import post_form as post


def _form(**over):
    today = date.today()
    data = {
        "name": "Lichting 2027", "applications_open": today.isoformat(),
        "applications_close": (today + timedelta(days=60)).isoformat(),
        "start_date": (today + timedelta(days=200)).isoformat(),
        "quota_total": "500", "quota_land": "375", "quota_air": "75", "quota_navy": "50",
        "quota_medical": "0", "quota_cyber": "0", "min_age": "18", "max_age": "25",
        "nationality_rule": "belgian", "flag_after_days": "14", "offer_days": "10",
        "requires_info_session": "y",
    }
    data.update(over)
    return data


def test_admin_creates_an_intake_with_the_first_intakes_split(client, login_as):
    admin = login_as("admin", language="en")
    response = post(client, "/admin/intakes/new", _form())
    assert response.status_code == 302
    intake = db.session.scalar(db.select(Intake))
    assert (intake.quota_total, intake.quota_land, intake.quota_air, intake.quota_navy) == (
        500, 375, 75, 50)
    assert intake.requires_info_session is True
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "intake.create"))
    assert event.actor_id == admin.id
    assert "Lichting 2027" in client.get("/admin/intakes/").get_data(as_text=True)


def test_component_quotas_must_add_up_to_the_overall_quota(client, login_as):
    login_as("admin", language="en")
    response = post(client, "/admin/intakes/new", _form(quota_land="400"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "add up to 525, not to the overall quota of 500" in page
    assert 'value="400"' in page  # what the admin typed is kept
    assert db.session.scalar(db.select(Intake)) is None


def test_window_must_close_after_it_opens_and_service_start_after_it(client, login_as):
    login_as("admin", language="en")
    today = date.today()
    response = post(client, "/admin/intakes/new", _form(
        applications_open=(today + timedelta(days=3)).isoformat(),
        applications_close=(today + timedelta(days=2)).isoformat(),
        start_date=(today + timedelta(days=1)).isoformat()))
    page = response.get_data(as_text=True)
    assert "The application window must close after it opens." in page
    assert "The service must start after the application window closes." in page
    assert db.session.scalar(db.select(Intake)) is None


def test_an_intake_closing_in_the_past_is_refused_with_the_range(client, login_as):
    login_as("admin", language="en")
    today = date.today()
    response = post(client, "/admin/intakes/new", _form(
        applications_close=(today - timedelta(days=1)).isoformat()))
    assert f"Enter a date from {today:%B} {today.day}, {today.year} to " in response.get_data(
        as_text=True)
    assert db.session.scalar(db.select(Intake)) is None


def test_editing_an_intake_keeps_the_rules_and_audits_the_change(client, login_as):
    admin = login_as("admin", language="en")
    intake = factories.intake(name="Lichting A")
    db.session.commit()
    url = f"/admin/intakes/{intake.id}/edit"
    refused = post(client, url, _form(name="Lichting A", max_age="17"))
    assert "The maximum age cannot be below the minimum age." in refused.get_data(as_text=True)
    response = post(client, url, _form(name="Lichting A", offer_days="7"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Intake, intake.id).offer_days == 7
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "intake.update"))
    assert event.actor_id == admin.id and "offer_days" in event.details_dict["changed"]


def test_two_intakes_cannot_share_a_name(client, login_as):
    login_as("admin", language="en")
    factories.intake(name="Lichting 2027")
    db.session.commit()
    response = post(client, "/admin/intakes/new", _form(name="lichting 2027"))
    assert "Another intake already has this name." in response.get_data(as_text=True)


def test_admin_adds_sessions_and_cannot_lower_capacity_below_bookings(client, login_as):
    login_as("admin", language="en")
    intake = factories.intake()
    db.session.commit()
    url = f"/admin/intakes/{intake.id}/sessions"
    when = (date.today() + timedelta(days=5)).isoformat() + "T14:00"
    response = post(client, url, {"starts_at": when, "place": "Kazerne Leopoldsburg",
                                  "languages": ["nl", "fr"], "capacity": "2"})
    assert response.status_code == 302
    session = db.session.scalar(db.select(InfoSession))
    assert session.languages == "nl,fr" and session.capacity == 2
    assert session.starts_at.hour == 12 or session.starts_at.hour == 13  # 14:00 Brussels in UTC
    factories.booking(session, factories.user())
    factories.booking(session, factories.user())
    db.session.commit()
    cap_url = f"{url}/{session.id}"
    refused = post(client, cap_url, {"capacity": "1"})
    assert "Places already booked: 2. The capacity cannot be lower." in refused.get_data(
        as_text=True)
    assert post(client, cap_url, {"capacity": "30"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(InfoSession, session.id).capacity == 30


def test_a_session_of_another_intake_is_not_found_under_this_one(client, login_as):
    login_as("admin", language="en")
    one, other = factories.intake(), factories.intake()
    session = factories.info_session(other)
    db.session.commit()
    assert client.get(f"/admin/intakes/{one.id}/sessions/{session.id}").status_code == 404


def test_intake_pages_are_for_administrators_only(client, login_as):
    login_as("recruiter")
    assert client.get("/admin/intakes/").status_code == 403
    assert client.get("/admin/intakes/new").status_code == 403


def test_a_number_of_hundreds_of_digits_is_refused_not_an_error(client, login_as):
    login_as("admin", language="en")
    response = post(client, "/admin/intakes/new", _form(quota_total="9" * 400))
    assert response.status_code < 500
    assert 'id="quota_total-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Intake)) is None
