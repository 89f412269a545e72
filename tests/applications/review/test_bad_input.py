"""Stale pages, invalid moves, forged IDs and double POSTs on the recruiter pages."""
from __future__ import annotations

import html

from portal.applications.models import Application, Convocation, Decision, Status, TestResult
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories
from tests.support import review as h
from tests.support.client import token_in


def _follow(client, response) -> str:
    assert response.status_code == 302
    return html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))


def _scene(status=Status.SUBMITTED, **fields):
    intake = factories.intake()
    app_ = h.application(intake, status=status, **fields)
    recruiter = factories.user("recruiter", language="en")
    db.session.commit()
    return intake, app_, recruiter


def test_a_stale_page_is_refused_and_nothing_changes(app, client):
    _intake, app_, recruiter = _scene()
    h.login(client, recruiter)
    version, page = h.page_version(client, app_.id)
    token = token_in(page)
    app_.version += 1  # someone else changed it meanwhile
    db.session.commit()
    response = client.post(f"/review/applications/{app_.id}/screening",
                           data={"csrf_token": token, "version": version})
    assert "changed by someone else meanwhile" in _follow(client, response)
    db.session.expire_all()
    assert db.session.get(Application, app_.id).status == Status.SUBMITTED


def test_an_invalid_transition_is_refused_with_a_clear_message(app, client):
    _intake, app_, recruiter = _scene(status=Status.REJECTED)
    h.login(client, recruiter)
    response = h.post(client, f"/review/applications/{app_.id}/waitlist", app_.id,
                      version=str(app_.version))
    assert "not possible in the application's current state" in _follow(client, response)
    db.session.expire_all()
    assert db.session.get(Application, app_.id).status == Status.REJECTED


def test_a_double_post_acts_once(app, client):
    _intake, app_, recruiter = _scene()
    h.login(client, recruiter)
    version, page = h.page_version(client, app_.id)
    token = token_in(page)
    data = {"csrf_token": token, "version": version}
    client.post(f"/review/applications/{app_.id}/screening", data=data)
    again = client.post(f"/review/applications/{app_.id}/screening", data=data)
    assert "changed by someone else meanwhile" in _follow(client, again)
    moves = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "application.start_screening"))
    assert moves == 1


def test_proposing_twice_keeps_one_open_decision(app, client):
    _intake, app_, recruiter = _scene(status=Status.TESTS_PASSED)
    h.login(client, recruiter)
    h.propose(client, app_.id, "reject", reason_code="ranking")
    again = h.propose(client, app_.id, "select", component="land")
    assert "already waiting for confirmation" in _follow(client, again)
    assert db.session.scalar(db.select(db.func.count()).select_from(Decision)) == 1


def test_a_rejection_needs_a_structured_reason(app, client):
    _intake, app_, recruiter = _scene(status=Status.TESTS_PASSED)
    h.login(client, recruiter)
    response = h.propose(client, app_.id, "reject", reason_code="", note="kept text")
    assert response.status_code == 302
    assert "Choose the reason for the rejection." in _follow(client, response)
    forged = h.propose(client, app_.id, "reject", reason_code="because-i-said-so")
    assert forged.status_code == 400
    assert 'id="reject-reason_code-error"' in forged.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Decision)) == 0


def test_the_proposer_cannot_confirm_by_forging_the_post(app, client):
    _intake, app_, recruiter = _scene(status=Status.TESTS_PASSED)
    decision = h.decision(app_, "select", recruiter)
    db.session.commit()
    h.login(client, recruiter)
    response = h.post(client, f"/review/decisions/{decision.id}/confirm", app_.id)
    assert "you proposed it" in _follow(client, response)
    db.session.expire_all()
    assert db.session.get(Application, app_.id).status == Status.TESTS_PASSED


def test_confirming_twice_moves_once(app, client):
    _intake, app_, proposer = _scene(status=Status.TESTS_PASSED)
    decision = h.decision(app_, "reject", proposer)
    other = factories.user("recruiter", language="en")
    db.session.commit()
    h.login(client, other)
    version, page = h.page_version(client, app_.id)
    token = token_in(page)
    data = {"csrf_token": token, "version": version}
    client.post(f"/review/decisions/{decision.id}/confirm", data=data)
    again = client.post(f"/review/decisions/{decision.id}/confirm", data=data)
    assert "already confirmed or cancelled" in _follow(client, again)
    db.session.expire_all()
    assert db.session.get(Application, app_.id).status == Status.REJECTED


def test_forged_ids_get_404_or_a_refusal(app, client):
    intake, app_, recruiter = _scene(status=Status.SCREENING)
    draft = h.application(intake, status=Status.DRAFT)
    h.selection_day(intake)
    foreign_day = h.selection_day(factories.intake())
    db.session.commit()
    h.login(client, recruiter)
    assert client.get(f"/review/applications/{draft.id}").status_code == 404
    response = h.post(client, f"/review/applications/{app_.id}/schedule", app_.id,
                      selection_day=str(foreign_day.id))
    assert response.status_code == 400
    assert "Choose one of this intake's selection days." in html.unescape(
        response.get_data(as_text=True))
    assert db.session.scalar(db.select(db.func.count()).select_from(Convocation)) == 0
    version, page = h.page_version(client, app_.id)
    token = token_in(page)
    assert client.post("/review/decisions/424242/confirm",
                       data={"csrf_token": token, "version": version}).status_code == 404


def test_a_full_selection_day_is_refused(app, client):
    intake, app_, recruiter = _scene(status=Status.SCREENING)
    day = h.selection_day(intake, capacity=1)
    taken = h.application(intake, status=Status.TESTS_SCHEDULED)
    db.session.add(Convocation(application_id=taken.id, selection_day_id=day.id))
    db.session.commit()
    h.login(client, recruiter)
    response = h.post(client, f"/review/applications/{app_.id}/schedule", app_.id,
                      selection_day=str(day.id))
    assert "This selection day is full" in _follow(client, response)
    taken.status = Status.WITHDRAWN  # the convoked candidate withdrew: the place is free
    db.session.commit()
    response = h.post(client, f"/review/applications/{app_.id}/schedule", app_.id,
                      selection_day=str(day.id))
    assert "convocation letter was issued" in _follow(client, response)


def test_a_bad_score_is_explained_next_to_the_field_and_kept(app, client):
    _intake, app_, recruiter = _scene(status=Status.TESTS_SCHEDULED)
    h.login(client, recruiter)
    response = h.post(client, f"/review/applications/{app_.id}/results", app_.id,
                      kind="sports", outcome="pass", score="150")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="score-error"' in html and "Enter a score from 0 to 100." in html
    assert 'value="150"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(TestResult)) == 0


def test_correcting_a_result_updates_it_and_is_audited(app, client):
    _intake, app_, recruiter = _scene(status=Status.TESTS_SCHEDULED)
    h.login(client, recruiter)
    h.post(client, f"/review/applications/{app_.id}/results", app_.id,
           kind="sports", outcome="fail", score="20")
    h.post(client, f"/review/applications/{app_.id}/results", app_.id,
           kind="sports", outcome="pass", score="65")
    result = db.session.scalar(db.select(TestResult))
    assert (result.passed, float(result.score)) == (True, 65.0)
    logged = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "application.test_result_recorded").order_by(AuditEvent.id)).all()
    assert len(logged) == 2
    assert '"previous": {"passed": false, "score": "20.00"}' in logged[1].details


def test_results_wait_for_the_selection_day(app, client):
    intake, app_, recruiter = _scene(status=Status.TESTS_SCHEDULED)
    day = h.selection_day(intake, days_ahead=14)
    h.convoke(app_, day)
    db.session.commit()
    h.login(client, recruiter)
    response = h.post(client, f"/review/applications/{app_.id}/results", app_.id,
                      kind="sports", outcome="pass", score="65")
    shown = _follow(client, response)
    assert "Results can be recorded from the selection day on" in shown
    assert db.session.scalar(db.select(db.func.count()).select_from(TestResult)) == 0
    with h.on_selection_day(app_):
        response = h.post(client, f"/review/applications/{app_.id}/results", app_.id,
                          kind="sports", outcome="pass", score="65")
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(TestResult)) == 1
