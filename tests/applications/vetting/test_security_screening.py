"""The security screening as candidates, recruiters and security officers live it: a
recruiter asks for it, only security officers record the outcome, an unfavourable one needs
a second officer and refuses the application, selection waits for a favourable one, and the
candidate sees only "in progress" or "done"."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from portal import i18n
from portal.applications import correspondence
from portal.applications.models import Application, ApplicationEvent, Decision, Status
from portal.applications.review import services as review_services
from portal.applications.vetting import services
from portal.applications.vetting.models import SecurityScreening
from portal.applications.workflow import SYSTEM, transition
from portal.audit import AuditEvent
from portal.extensions import db
from portal.letters.models import Letter
from portal.models import utcnow
from portal.notifications.models import Notification
from portal.refusals import Refusal
from tests.support import factories
from tests.support import review as h
from tests.support.client import login, post_form

NOTE = "Contacts with a violent extremist group, per the vetting authority's report"


def _scene(status=Status.SCREENING, **fields):
    intake = factories.intake()
    candidate = factories.user("citizen", language="en")
    app_ = h.application(intake, status=status, user=candidate, cleared=False, **fields)
    db.session.commit()
    return app_, candidate


def _request(client, app_id):
    return h.post(client, f"/review/applications/{app_id}/security-screening", app_id)


def _screening(app_id) -> SecurityScreening:
    db.session.expire_all()
    return db.session.scalar(db.select(SecurityScreening).where(
        SecurityScreening.application_id == app_id).order_by(SecurityScreening.id.desc()))


def _audits(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()


def _record(client, screening_id, outcome, note=""):
    url = f"/security-screening/{screening_id}"
    return post_form(client, f"{url}/outcome", {"outcome": outcome, "note": note}, page=url)


def _button(client, screening_id, action):
    url = f"/security-screening/{screening_id}"
    return post_form(client, f"{url}/{action}", {}, page=url)


def _candidate_page(client, candidate, app_id):
    login(client, candidate)
    return client.get(f"/my-application/{app_id}").get_data(as_text=True)


def _notified(candidate, kind):
    return db.session.scalars(db.select(Notification).where(
        Notification.user_id == candidate.id, Notification.kind == kind,
        Notification.channel == "email")).all()


def test_a_recruiter_asks_for_it_once_even_when_the_button_is_pressed_twice(app, client):
    app_, candidate = _scene()
    recruiter = factories.user("recruiter", language="en")
    db.session.commit()
    login(client, recruiter)
    page = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
    assert "Not requested" in page and "Ask for the security screening" in page
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    for _ in range(2):  # a double click: the second post carries the same page's version
        response = post_form(client, f"/review/applications/{app_.id}/security-screening",
                             {"version": version}, page=f"/review/applications/{app_.id}")
        assert response.status_code == 302
    rows = db.session.scalars(db.select(SecurityScreening).where(
        SecurityScreening.application_id == app_.id)).all()
    assert len(rows) == 1 and rows[0].requested_by_id == recruiter.id
    assert rows[0].reference.startswith("VS-") and rows[0].is_open
    requested = _audits("security_screening.requested")
    assert [(e.actor_id, e.object_id) for e in requested] == [(recruiter.id, str(app_.id))]
    page = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
    assert "Security screening in progress" in page and rows[0].reference in page
    assert "Ask for the security screening" not in page
    assert len(_notified(candidate, "security_screening_started")) == 1

    text = _candidate_page(client, candidate, app_.id)
    assert "Security screening:" in text and "In progress" in text


def test_a_recruiter_cannot_ask_before_the_application_is_checked(app, client):
    app_, _candidate = _scene(status=Status.SUBMITTED)
    login(client, factories.user("recruiter", language="en"))
    db.session.commit()
    response = _request(client, app_.id)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "can be asked for while the application is checked or tested" in page
    assert _screening(app_.id) is None


@pytest.mark.parametrize("role", ["recruiter", "admin", "medical_staff", "citizen",
                                  "unit_staff", "employer"])
def test_only_security_officers_open_and_record_a_screening(app, client, role):
    app_, _candidate = _scene()
    screening = services.request(app_, factories.user("recruiter"), None)
    db.session.commit()
    login(client, factories.user(role, language="en"))
    db.session.commit()
    assert client.get("/security-screening/").status_code == 403
    assert client.get(f"/security-screening/{screening.id}").status_code == 403
    assert client.get("/security-screening/requests.csv").status_code == 403
    for action in ("outcome", "confirm", "send-back"):
        response = client.post(f"/security-screening/{screening.id}/{action}",
                               data={"outcome": "favourable"})
        assert response.status_code in (400, 403)  # no CSRF token, or the role refused
    assert _screening(app_.id).recorded_outcome is None
    with pytest.raises(Refusal):  # the service refuses on its own (CLI, jobs)
        services.record_outcome(_screening(app_.id), "favourable", "",
                                factories.user(role))


def test_a_favourable_outcome_lets_two_recruiters_select_and_the_candidate_sees_done(app, client):
    app_, candidate = _scene(status=Status.TESTS_PASSED, score=75)
    first, second = (factories.user("recruiter", language="en") for _ in range(2))
    officer = factories.user("security_officer", language="en")
    db.session.commit()
    login(client, first)
    assert _request(client, app_.id).status_code == 302
    # The page offers no selection yet: it says what it waits for.
    waiting = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
    assert 'id="selection-waits"' in waiting and "Propose to select</h3>" not in waiting
    assert "Put on the waitlist" not in waiting
    refused = h.propose(client, app_.id, "select", component="land")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "The security screening must first end with a favourable outcome." in page
    assert db.session.scalar(db.select(Decision).where(Decision.application_id == app_.id)) \
        is None

    login(client, officer)
    screening = _screening(app_.id)
    queue = client.get("/security-screening/").get_data(as_text=True)
    assert screening.reference in queue and app_.reference in queue
    assert client.get(f"/security-screening/{screening.id}").status_code == 200
    assert _record(client, screening.id, "favourable").status_code == 302
    screening = _screening(app_.id)
    assert (screening.outcome, screening.recorded_by_id) == ("favourable", officer.id)
    assert screening.concluded_at is not None
    assert screening.reference not in client.get("/security-screening/").get_data(as_text=True)
    assert [e.actor_id for e in _audits("security_screening.outcome_recorded")] == [officer.id]
    viewed = [e.actor_id for e in _audits("security_screening.viewed")]
    assert viewed and set(viewed) == {officer.id}  # every opening of the page

    login(client, first)
    cleared = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
    assert "Security screening favourable" in cleared
    assert "Propose to select</h3>" in cleared and 'id="selection-waits"' not in cleared
    assert h.propose(client, app_.id, "select", component="land").status_code == 302
    login(client, second)
    assert h.confirm(client, app_.id).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, app_.id).status == Status.SELECTED

    text = _candidate_page(client, candidate, app_.id)
    assert "Security screening:" in text and "Done" in text and "favourable" not in text.lower()
    assert len(_notified(candidate, "security_screening_done")) == 1


def test_the_waitlist_and_the_portal_itself_wait_for_a_favourable_outcome(app, client):
    app_, _candidate = _scene(status=Status.TESTS_PASSED, score=70)
    login(client, factories.user("recruiter", language="en"))
    db.session.commit()
    refused = h.post(client, f"/review/applications/{app_.id}/waitlist", app_.id)
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "The security screening must first end with a favourable outcome." in page
    waiting, _c = _scene(status=Status.WAITLISTED, confirmed=False)
    h.confirm_waitlisting(waiting)  # records a favourable screening with it
    db.session.delete(_screening(waiting.id))
    db.session.flush()
    with pytest.raises(Refusal, match="security screening"):
        transition(waiting, "select", SYSTEM, "waitlist: place freed", component="land")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Application, app_.id).status == Status.TESTS_PASSED


def test_an_unfavourable_outcome_needs_a_second_officer_then_refuses_the_application(
        app, client):
    app_, candidate = _scene(status=Status.TESTS_SCHEDULED)
    recruiter = factories.user("recruiter", language="en")
    first, second = (factories.user("security_officer", language="en") for _ in range(2))
    db.session.commit()
    login(client, recruiter)
    assert _request(client, app_.id).status_code == 302
    screening = _screening(app_.id)

    login(client, first)
    missing = _record(client, screening.id, "unfavourable")
    assert missing.status_code == 400
    assert "Give the vetting authority&#39;s reason" in missing.get_data(as_text=True)
    assert _record(client, screening.id, "unfavourable", NOTE).status_code == 302
    assert _screening(app_.id).state == "awaiting_confirmation"
    # The same officer cannot confirm: the page says so and a forced post is refused.
    page = client.get(f"/security-screening/{screening.id}").get_data(as_text=True)
    assert "A second security officer must confirm the outcome you recorded." in page
    refused = _button(client, screening.id, "confirm")
    assert "you recorded it" in client.get(refused.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, app_.id).status == Status.TESTS_SCHEDULED
    assert _screening(app_.id).outcome is None

    # Meanwhile: in progress for the recruiter and the candidate, never the reason.
    login(client, recruiter)
    review = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
    assert "Security screening in progress" in review and "extremist" not in review
    text = _candidate_page(client, candidate, app_.id)
    assert "In progress" in text and "extremist" not in text
    assert _notified(candidate, "security_screening_done") == []

    login(client, second)
    assert _button(client, screening.id, "confirm").status_code == 302
    db.session.expire_all()
    refused_app = db.session.get(Application, app_.id)
    assert refused_app.status == Status.REJECTED
    decision = db.session.scalar(db.select(Decision).where(
        Decision.application_id == app_.id, Decision.outcome == "confirmed"))
    assert (decision.action, decision.reason_code) == ("reject", "security")
    assert (decision.proposed_by_id, decision.resolved_by_id) == (first.id, second.id)
    event = db.session.scalar(db.select(ApplicationEvent).where(
        ApplicationEvent.application_id == app_.id, ApplicationEvent.action == "reject"))
    assert (event.actor_id, event.reason) == (second.id, "security")
    screening = _screening(app_.id)
    assert (screening.outcome, screening.confirmed_by_id) == ("unfavourable", second.id)
    assert [e.actor_id for e in _audits("security_screening.unfavourable_confirmed")] == [
        second.id]
    # The decision letter with its legal ground and the way to ask for a review.
    letter = db.session.scalar(db.select(Letter).where(
        Letter.subject_type == "Application", Letter.subject_id == str(app_.id),
        Letter.kind == "decision"))
    assert letter is not None
    assert len(_notified(candidate, "rejected")) == 1
    assert len(_notified(candidate, "security_screening_done")) == 1

    login(client, recruiter)
    review = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
    assert "Security screening unfavourable" in review and "extremist" not in review
    text = _candidate_page(client, candidate, app_.id)
    assert "Done" in text and "extremist" not in text and "unfavourable" not in text.lower()
    # The decision letter gives the security ground, never the vetting authority's reason.
    with app.test_request_context():
        context = correspondence._decision_context(refused_app, decision)
    assert "did not allow your admission to military service" in str(context["reason_text"])
    assert "security conditions of admission" in str(context["ground_text"])
    for event in _audits("security_screening.outcome_recorded"):
        assert "extremist" not in json.dumps(event.details_dict)


def test_a_second_officer_who_does_not_confirm_sends_it_back_to_be_recorded_again(
        app, client):
    app_, _candidate = _scene()
    first, second = (factories.user("security_officer", language="en") for _ in range(2))
    screening = services.request(app_, factories.user("recruiter"), None)
    services.record_outcome(screening, "unfavourable", NOTE, first)
    db.session.commit()
    login(client, second)
    assert _button(client, screening.id, "send-back").status_code == 302
    screening = _screening(app_.id)
    assert (screening.state, screening.note, screening.recorded_by_id) == ("requested", "", None)
    assert [e.actor_id for e in _audits("security_screening.not_confirmed")] == [second.id]
    db.session.expire_all()
    assert db.session.get(Application, app_.id).status == Status.SCREENING
    # Recording twice is refused, not doubled.
    assert _record(client, screening.id, "favourable").status_code == 302
    again = _record(client, screening.id, "favourable")
    assert "already recorded" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert len(_audits("security_screening.outcome_recorded")) == 2  # first's and second's


def test_forged_ids_are_not_found(app, client):
    app_, _candidate = _scene()
    login(client, factories.user("security_officer", language="en"))
    db.session.commit()
    assert client.get("/security-screening/987654").status_code == 404
    for action in ("outcome", "confirm", "send-back"):
        response = post_form(client, f"/security-screening/987654/{action}",
                             {"outcome": "favourable"}, page="/security-screening/")
        assert response.status_code == 404
    login(client, factories.user("recruiter", language="en"))
    db.session.commit()
    response = post_form(client, "/review/applications/987654/security-screening",
                         {"version": "1"}, page=f"/review/applications/{app_.id}")
    assert response.status_code == 404


def test_a_withdrawn_application_withdraws_its_running_screening(app, client):
    app_, candidate = _scene()
    services.request(app_, factories.user("recruiter"), None)
    db.session.commit()
    transition(app_, "withdraw", candidate)
    db.session.commit()
    screening = _screening(app_.id)
    assert screening.outcome == "withdrawn" and screening.concluded_at is not None
    assert [e.details_dict["why"] for e in _audits("security_screening.withdrawn")] == [
        "withdrawn"]


def test_the_vetting_authority_gets_the_pending_requests_as_csv_and_the_export_is_audited(
        app, client):
    person = factories.person()
    candidate = factories.user("citizen", language="en", person=person)
    intake = factories.intake()
    app_ = h.application(intake, status=Status.SCREENING, user=candidate, cleared=False)
    done, _c = _scene()
    services.request(app_, factories.user("recruiter"), None)
    finished = services.request(done, factories.user("recruiter"), None)
    officer = factories.user("security_officer", language="en")
    services.record_outcome(finished, "favourable", "", officer)
    db.session.commit()
    login(client, officer)
    response = client.get("/security-screening/requests.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("screening_reference,application_reference")
    assert len(lines) == 2 and app_.reference in lines[1] and done.reference not in lines[1]
    assert person.national_number in lines[1]
    exported = _audits("security_screening.requests_exported")
    assert [e.details_dict["count"] for e in exported] == [1]
    assert person.national_number not in json.dumps([e.details_dict for e in exported])

    result = app.test_cli_runner().invoke(args=[
        "applications", "security-requests", "--officer", officer.email])
    assert result.exit_code == 0, result.output
    assert app_.reference in result.output
    refused = app.test_cli_runner().invoke(args=[
        "applications", "security-requests", "--officer", factories.user("recruiter").email])
    assert refused.exit_code != 0


def test_the_purge_deletes_a_screening_after_its_retention_period_unless_a_selection_waits(
        app):
    from portal.privacy import services as privacy

    days = app.config["RETENTION_DAYS"]["security_screenings"]
    long_ago = utcnow() - timedelta(days=days + 1)
    old_selected, _c = _scene(status=Status.SELECTED)
    old_waiting, _c = _scene(status=Status.WAITLISTED, confirmed=False)
    recent, _c = _scene(status=Status.SELECTED)
    running, _c = _scene(status=Status.SCREENING)
    for app_ in (old_selected, old_waiting, recent):
        h.security_cleared(app_)
    for app_ in (old_selected, old_waiting):
        _screening(app_.id).concluded_at = long_ago
    services.request(running, factories.user("recruiter"), None)
    _screening(running.id).requested_at = long_ago
    db.session.commit()
    lines = {line.kind: line.count for line in privacy.purge()}
    db.session.commit()
    assert lines["security_screenings"] == 1
    assert _screening(old_selected.id) is None
    for kept in (old_waiting, recent, running):
        assert _screening(kept.id) is not None


def test_the_persons_export_says_in_progress_or_done_never_the_outcome(app):
    from portal.privacy import services as privacy

    app_, candidate = _scene()
    screening = services.request(app_, factories.user("recruiter"), None)
    first, second = (factories.user("security_officer") for _ in range(2))
    services.record_outcome(screening, "unfavourable", NOTE, first)
    data = privacy.collect(candidate)
    dumped = json.dumps(data, default=str)
    assert '"status": "in_progress"' in dumped
    services.confirm_unfavourable(screening, second)
    dumped = json.dumps(privacy.collect(candidate), default=str)
    assert '"status": "done"' in dumped
    assert "extremist" not in dumped and "unfavourable" not in dumped
    assert screening.reference not in dumped


def test_a_recruiters_open_proposal_gives_way_to_the_confirmed_unfavourable_outcome(app):
    app_, _candidate = _scene(status=Status.TESTS_PASSED, score=60)
    recruiter = factories.user("recruiter")
    first, second = (factories.user("security_officer") for _ in range(2))
    screening = services.request(app_, recruiter, None)
    proposal = h.decision(app_, "reject", recruiter, reason_code="ranking")
    services.record_outcome(screening, "unfavourable", NOTE, first)
    services.confirm_unfavourable(screening, second)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Decision, proposal.id).outcome == "cancelled"
    assert db.session.get(Application, app_.id).status == Status.REJECTED
    confirmed = db.session.scalar(db.select(Decision).where(
        Decision.application_id == app_.id, Decision.outcome == "confirmed"))
    assert confirmed.reason_code == "security"


def test_a_refusal_overturned_on_review_lets_the_recruiters_ask_again(app):
    from portal.applications import appeals
    from portal.clock import today

    app_, candidate = _scene()
    first, second = (factories.user("security_officer") for _ in range(2))
    screening = services.request(app_, factories.user("recruiter"), None)
    services.record_outcome(screening, "unfavourable", NOTE, first)
    services.confirm_unfavourable(screening, second)
    db.session.commit()
    assert services.summary(app_).can_request is False  # rejected: nothing to ask
    request_ = appeals.ask(app_, "I was confused with someone else of the same name.",
                           candidate, today())
    # The security officers took the decision: they may not answer the review.
    with pytest.raises(Refusal):
        appeals.answer(request_, "overturned", "The vetting authority corrected its report.",
                       second)
    appeals.answer(request_, "overturned", "The vetting authority corrected its report.",
                   factories.user("admin"))
    db.session.commit()
    assert app_.status == Status.SCREENING
    assert services.summary(app_).status == "unfavourable"
    assert services.summary(app_).can_request is True
    again = services.request(app_, factories.user("recruiter"), None)
    assert again.id != screening.id and again.is_open


def test_the_security_ground_is_the_security_officers_alone(app):
    with i18n.locale("en"):
        _security_ground_scene()


def _security_ground_scene():
    app_, _candidate = _scene(status=Status.TESTS_PASSED, score=60)
    recruiter, other = factories.user("recruiter"), factories.user("recruiter")
    officer, colleague = factories.user("security_officer"), factories.user("security_officer")
    # A recruiter cannot propose it, nor confirm a security refusal proposed by an officer.
    with pytest.raises(Refusal, match="reason for the rejection"):
        review_services.propose(app_, "reject", recruiter, version=None, reason_code="security")
    security = h.decision(app_, "reject", officer, reason_code="security")
    with pytest.raises(Refusal, match="not allowed"):
        transition(app_, "reject", other, "security", decision=security)
    db.session.delete(security)
    db.session.flush()
    # An officer cannot refuse on another ground.
    ranking = h.decision(app_, "reject", colleague, reason_code="ranking")
    with pytest.raises(Refusal, match="not allowed"):
        transition(app_, "reject", officer, "ranking", decision=ranking)
    assert app_.status == Status.TESTS_PASSED


def test_recruiters_filter_their_queue_by_where_the_screening_stands(app, client):
    intake = factories.intake()
    never = h.application(intake, status=Status.SCREENING, cleared=False, last_name="Never")
    running = h.application(intake, status=Status.SCREENING, cleared=False, last_name="Running")
    cleared = h.application(intake, status=Status.TESTS_PASSED, last_name="Cleared")
    services.request(running, factories.user("recruiter"), None)
    login(client, factories.user("recruiter", language="en"))
    db.session.commit()
    expected = {"none": never, "requested": running, "favourable": cleared,
                "unfavourable": None}
    for security, shown in expected.items():
        page = client.get(f"/review/intakes/{intake.id}?security={security}").get_data(
            as_text=True)
        for app_ in (never, running, cleared):
            assert (app_.reference in page) == (app_ is shown), (security, app_.last_name)
    everything = client.get(f"/review/intakes/{intake.id}?security=nonsense").get_data(
        as_text=True)
    assert all(a.reference in everything for a in (never, running, cleared))
    # An older unfavourable outcome followed by a new request reads as running only.
    again = h.application(intake, status=Status.SCREENING, cleared=False, last_name="Again")
    db.session.add(SecurityScreening(application_id=again.id, reference="VS-OLD-1",
                                     outcome="unfavourable", concluded_at=utcnow()))
    db.session.flush()
    services.request(again, factories.user("recruiter"), None)
    db.session.commit()
    for security, shown in (("unfavourable", False), ("requested", True)):
        page = client.get(f"/review/intakes/{intake.id}?security={security}").get_data(
            as_text=True)
        assert (again.reference in page) == shown, security


def test_the_officers_queue_is_paged_oldest_first(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REVIEW_QUEUE_PAGE_SIZE", 2)
    recruiter = factories.user("recruiter", language="en")
    officer = factories.user("security_officer", language="en")
    screenings = []
    for _ in range(3):
        app_, _candidate = _scene()
        screenings.append(services.request(app_, recruiter, None))
        db.session.commit()
    login(client, officer)
    first = client.get("/security-screening/").get_data(as_text=True)
    assert "3 screenings are open." in first and "1–2 of 3" in first
    assert screenings[0].reference in first and screenings[2].reference not in first
    assert 'href="/security-screening/?page=2"' in first
    second = client.get("/security-screening/?page=2").get_data(as_text=True)
    assert screenings[2].reference in second and screenings[0].reference not in second
    # A page past the last shows the last one and says so.
    past = client.get("/security-screening/?page=9").get_data(as_text=True)
    assert screenings[2].reference in past and "Page 9 does not exist" in past
