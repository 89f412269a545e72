"""Applying step by step: drafts, resuming, checks at submit, stale pages, forged ids."""
from __future__ import annotations

import json
from datetime import date, timedelta

from portal.applications.models import Application, ApplicationEvent, Status
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories
from tests.support.candidate import fill, ready_to_apply, start, step_data
from tests.support.client import post_form as post
from tests.support.client import version_on


def _application(application_id) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application_id)


def test_starting_twice_gives_one_application_with_a_readable_reference(client, login_as):
    user, intake = ready_to_apply(login_as)
    first = start(client, intake)
    second = start(client, intake)
    assert first == second
    apps = db.session.scalars(db.select(Application).where(Application.user_id == user.id)).all()
    assert len(apps) == 1
    assert apps[0].reference == f"DJ-{intake.start_date.year}-{apps[0].id:06d}"


def test_applying_needs_a_booked_information_session_when_the_intake_says_so(client, login_as):
    login_as("citizen", language="en")
    intake = factories.intake()
    db.session.commit()
    response = post(client, f"/apply/{intake.id}/start", page="/apply", follow_redirects=True)
    assert "Book a place in an information session first." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Application)) is None
    relaxed = factories.intake(requires_info_session=False)
    db.session.commit()
    assert post(client, f"/apply/{relaxed.id}/start", page="/apply").status_code == 302


def test_drafts_are_saved_at_every_step_and_resumed(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    steps = step_data(intake)
    fill(client, application_id, steps, only={"personal", "contact"})
    application = _application(application_id)
    stored = json.loads(application.answers)
    assert set(stored) == {"personal", "contact"}
    assert (application.first_name, application.last_name, application.postcode) == (
        "Lotte", "Peeters", "2000")
    assert application.province == "10000"  # NIS code of the province of Antwerp
    # The national register number itself is never stored, only its keyed hash.
    assert steps["personal"]["national_number"] not in application.answers
    assert len(stored["personal"]["nn_hash"]) == 64
    # Coming back: starting again lands on the first step not done, with answers kept.
    response = post(client, f"/apply/{intake.id}/start", page="/apply")
    assert response.headers["Location"].endswith(f"/my-application/{application_id}/step/education")
    page = client.get(f"/my-application/{application_id}/step/contact").get_data(as_text=True)
    assert 'value="Kerkstraat"' in page
    events = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "application.save_step")).all()
    assert [e.details_dict["step"] for e in events] == ["personal", "contact"]


def test_save_and_finish_later_goes_to_the_status_page(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    url = f"/my-application/{application_id}/step/personal"
    data = {**step_data(intake)["personal"], "version": version_on(client, url), "then": "stop"}
    response = post(client, url, data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Your draft is saved" in page and "Not sent yet" in page


def test_wrong_answers_are_explained_next_to_the_field_and_kept(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    url = f"/my-application/{application_id}/step/personal"
    personal = {**step_data(intake)["personal"], "national_number": "85073003329"}
    response = post(client, url, {**personal, "version": version_on(client, url)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This is not a valid national register number" in page
    assert 'value="Lotte"' in page
    assert json.loads(_application(application_id).answers) == {}

    other_birth = (date.fromisoformat(personal["birth_date"]) - timedelta(days=3)).isoformat()
    personal = {**step_data(intake)["personal"], "birth_date": other_birth}
    response = post(client, url, {**personal, "version": version_on(client, url)})
    assert "does not match your date of birth" in response.get_data(as_text=True)

    contact_url = f"/my-application/{application_id}/step/contact"
    contact = {**step_data(intake)["contact"], "postcode": "123"}
    response = post(client, contact_url, {**contact, "version": version_on(client, contact_url)})
    assert "A Belgian postcode has four digits." in response.get_data(as_text=True)

    prefs_url = f"/my-application/{application_id}/step/preferences"
    prefs = {**step_data(intake)["preferences"], "choice_2": "air"}
    response = post(client, prefs_url, {**prefs, "version": version_on(client, prefs_url)})
    assert "Choose a component you did not choose already." in response.get_data(as_text=True)


def test_a_stale_page_is_refused_and_the_current_answers_shown(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    url = f"/my-application/{application_id}/step/contact"
    old_version = version_on(client, url)
    fill(client, application_id, step_data(intake), only={"contact"})  # another tab saves
    stale = {**step_data(intake)["contact"], "street": "Oude straat", "version": old_version}
    response = post(client, url, stale, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "changed in another window meanwhile" in page
    assert 'value="Kerkstraat"' in page
    assert json.loads(_application(application_id).answers)["contact"]["street"] == "Kerkstraat"


def test_another_candidates_application_is_not_found(client, login_as):
    _user, intake = ready_to_apply(login_as)
    stranger = factories.user()
    theirs = Application(intake_id=intake.id, user_id=stranger.id, reference="DJ-2026-999999")
    db.session.add(theirs)
    db.session.commit()
    for url in (f"/my-application/{theirs.id}", f"/my-application/{theirs.id}/step/personal",
                f"/my-application/{theirs.id}/check", f"/my-application/{theirs.id}/withdraw",
                f"/my-application/{theirs.id}/offer"):
        assert client.get(url).status_code == 404, url
    mine = start(client, intake)
    token_page = f"/my-application/{mine}/check"
    for url in (f"/my-application/{theirs.id}/submit", f"/my-application/{theirs.id}/withdraw",
                f"/my-application/{theirs.id}/step/personal"):
        assert post(client, url, {"version": "1"}, page=token_page).status_code == 404, url
    assert _application(theirs.id).status == Status.DRAFT


def test_submit_lists_what_is_missing(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    fill(client, application_id, step_data(intake), only={"personal", "contact"})
    check = f"/my-application/{application_id}/check"
    response = post(client, f"/my-application/{application_id}/submit",
                    {"version": version_on(client, check)}, page=check, follow_redirects=True)
    page = response.get_data(as_text=True)
    for step in ("Education", "Preferences", "Start and motivation", "Health", "Consent"):
        assert f"Step not completed: {step}." in page
    assert "Step not completed: Personal details." not in page
    assert _application(application_id).status == Status.DRAFT
    assert db.session.scalar(db.select(ApplicationEvent)) is None


def test_an_applicant_too_old_on_the_start_date_cannot_submit(client, login_as):
    # Refused at the personal step already (tests/first_use); here the intake's age limit
    # changed after the step was saved, and the check before submitting still holds.
    _user, intake = ready_to_apply(login_as, max_age=30)
    application_id = start(client, intake)
    fill(client, application_id, step_data(intake, age=26))
    intake.max_age = 25
    db.session.commit()
    check = f"/my-application/{application_id}/check"
    page = client.get(check).get_data(as_text=True)
    assert "you will be 26" in page and "aged 18 to 25" in page
    post(client, f"/my-application/{application_id}/submit",
         {"version": version_on(client, check)}, page=check)
    assert _application(application_id).status == Status.DRAFT


def test_nationality_rule_is_checked_at_submit(client, login_as):
    _user, intake = ready_to_apply(login_as, nationality_rule="eu")
    application_id = start(client, intake)
    steps = step_data(intake)
    steps["personal"]["nationality"] = "eu"
    fill(client, application_id, steps)
    intake.nationality_rule = "belgian"
    db.session.commit()
    page = client.get(f"/my-application/{application_id}/check").get_data(as_text=True)
    assert "Belgian nationality is required for this intake." in page


def test_no_application_can_start_outside_the_window(client, login_as):
    _user, intake = ready_to_apply(
        login_as, applications_open=date.today() + timedelta(days=3),
        applications_close=date.today() + timedelta(days=30))
    response = post(client, f"/apply/{intake.id}/start", page="/apply", follow_redirects=True)
    assert "are open from" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Application)) is None


def test_the_status_page_explains_a_draft_and_its_deadline(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    response = client.get("/my-application", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Not sent yet" in page
    assert "Complete every step and send your application by" in page
    assert str(intake.applications_close.year) in page
    assert "You started your application." in page
    assert f"/my-application/{application_id}/step/personal" in page


def test_submit_is_refused_once_the_window_closed_or_the_booking_was_cancelled(
        client, login_as):
    user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    fill(client, application_id, step_data(intake))
    post(client, f"/apply/{intake.id}/sessions/cancel", page=f"/apply/{intake.id}/sessions")
    intake.applications_open = date.today() - timedelta(days=30)
    intake.applications_close = date.today() - timedelta(days=1)
    db.session.commit()
    check = f"/my-application/{application_id}/check"
    response = post(client, f"/my-application/{application_id}/submit",
                    {"version": version_on(client, check)}, page=check, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "are open from" in page
    assert "Book a place in an information session first." in page
    assert _application(application_id).status == Status.DRAFT


def test_the_register_number_is_required_when_the_invitation_did_not_give_it(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    url = f"/my-application/{application_id}/step/personal"
    personal = {**step_data(intake)["personal"], "national_number": ""}
    response = post(client, url, {**personal, "version": version_on(client, url)})
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    assert json.loads(_application(application_id).answers) == {}


def test_one_person_cannot_apply_twice_to_an_intake_with_two_accounts(client, login_as):
    from portal.applications.candidate import services as candidate_services

    _user, intake = ready_to_apply(login_as)
    steps = step_data(intake)
    other = factories.user()
    earlier = Application(intake_id=intake.id, user_id=other.id, reference="DJ-2026-000900",
                          status=Status.SUBMITTED, answers=json.dumps({"personal": {
                              "nn_hash": candidate_services.nn_hash(
                                  steps["personal"]["national_number"])}}, sort_keys=True))
    db.session.add(earlier)
    db.session.commit()
    application_id = start(client, intake)
    fill(client, application_id, steps)
    check = f"/my-application/{application_id}/check"
    assert "already applied to this intake with another account" in client.get(check).get_data(
        as_text=True)
    post(client, f"/my-application/{application_id}/submit",
         {"version": version_on(client, check)}, page=check)
    assert _application(application_id).status == Status.DRAFT


def test_dates_in_the_wrong_place_are_refused_next_to_the_field(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    url = f"/my-application/{application_id}/step/personal"
    future = (date.today() + timedelta(days=3)).isoformat()
    personal = {**step_data(intake)["personal"], "birth_date": future}
    response = post(client, url, {**personal, "version": version_on(client, url)})
    assert "Enter a date from " in response.get_data(as_text=True)
    today = date.today()
    url = f"/my-application/{application_id}/step/motivation"
    motivation = {**step_data(intake)["motivation"],
                  "earliest_start": (date.today() - timedelta(days=1)).isoformat()}
    response = post(client, url, {**motivation, "version": version_on(client, url)})
    assert f"Enter a date from {today:%B} {today.day}, {today.year} to " in response.get_data(
        as_text=True)
    assert json.loads(_application(application_id).answers) == {}
