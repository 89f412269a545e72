"""Only medical staff read health answers and record the medical test; recruiters and
administrators see medically fit / unfit / pending; every reading is audited."""
from __future__ import annotations

import json
import re

from portal.applications import answers
from portal.applications.models import Application, ResultKind, Status, TestResult
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories
from tests.support import review as h
from tests.support.client import login, post_form

HEALTH = {"chronic_condition": "yes", "medication": "no", "recent_injury": "yes",
          "sport_limits": "no"}
QUESTION = "Do you have a long-term illness that needs regular treatment?"
REASON = "Asthma attack during the step test"


def _scene(status=Status.TESTS_SCHEDULED):
    intake = factories.intake()
    app_ = h.application(intake, status=status)
    answers.store(app_, {"preferences": {"choice_1": "land"}, "health": HEALTH})
    h.convoke(app_, h.selection_day(intake))
    db.session.commit()
    return app_


def _health_views(app_id):
    return db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "application.health_viewed",
        AuditEvent.object_id == str(app_id))).all()


def test_recruiters_and_administrators_see_pending_never_the_health_answers(app, client):
    app_ = _scene()
    for role in ("recruiter", "admin"):
        login(client, factories.user(role, language="en"))
        db.session.commit()
        page = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
        assert "Preferred component" in page  # the rest of the file is there
        assert QUESTION not in page and "Health" not in page.split("Selection tests")[0]
        assert "Medical test pending" in page
        assert client.get(f"/medical/applications/{app_.id}").status_code == 403
        assert client.get("/medical/").status_code == 403
    assert _health_views(app_.id) == []


def test_medical_staff_read_the_answers_and_each_reading_is_audited_without_them(app, client):
    app_ = _scene()
    doctor = factories.user("medical_staff", language="en")
    db.session.commit()
    login(client, doctor)
    queue = client.get("/medical/").get_data(as_text=True)
    assert app_.reference in queue
    page = client.get(f"/medical/applications/{app_.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert QUESTION in text and "Did an injury or operation" in text
    client.get(f"/medical/applications/{app_.id}")
    views = _health_views(app_.id)
    assert [(e.actor_id, e.object_type) for e in views] == [(doctor.id, "Application")] * 2
    for event in views:
        assert "yes" not in json.dumps(event.details_dict)
        assert "chronic" not in json.dumps(event.details_dict)


def test_medical_staff_record_unfit_with_a_reason_recruiters_see_only_unfit(app, client):
    app_ = _scene()
    doctor = factories.user("medical_staff", language="en")
    recruiter = factories.user("recruiter", language="en")
    db.session.commit()
    login(client, doctor)
    url = f"/medical/applications/{app_.id}"
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    with h.on_selection_day(app_):
        missing = post_form(client, f"{url}/medical-test",
                            {"version": version, "outcome": "unfit"}, page=url)
        assert missing.status_code == 400
        assert "Give the reason for unfitness." in missing.get_data(as_text=True)
        done = post_form(client, f"{url}/medical-test",
                         {"version": version, "outcome": "unfit", "reason": REASON}, page=url)
    assert done.status_code == 302
    assert REASON in client.get(url).get_data(as_text=True)
    db.session.expire_all()
    result = db.session.scalar(db.select(TestResult).where(
        TestResult.application_id == app_.id, TestResult.kind == ResultKind.MEDICAL))
    assert (result.passed, result.score, result.recorded_by_id) == (False, None, doctor.id)
    raw = db.session.execute(db.text(
        "SELECT medical_reason FROM test_results WHERE id = :id"), {"id": result.id}).scalar()
    assert raw and "Asthma" not in raw
    recorded = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "application.medical_recorded"))
    assert recorded.details_dict["fit"] is False and "Asthma" not in json.dumps(
        recorded.details_dict)

    login(client, recruiter)
    review = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
    assert "Medically unfit" in review and "Asthma" not in review
    # The recruiters conclude the tests as before: a failed test fails them.
    assert h.post(client, f"/review/applications/{app_.id}/conclude-tests",
                  app_.id).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, app_.id).status == Status.TESTS_FAILED


def test_a_recruiter_cannot_record_the_medical_test(app, client):
    app_ = _scene()
    login(client, factories.user("recruiter", language="en"))
    db.session.commit()
    response = h.post(client, f"/review/applications/{app_.id}/results", app_.id,
                      kind="medical", outcome="pass", score="80")
    assert response.status_code == 400
    assert "Only medical staff record the medical test." in response.get_data(as_text=True)
    assert db.session.scalars(db.select(TestResult).where(
        TestResult.application_id == app_.id)).all() == []


def test_four_eyes_and_scores_keep_working_with_the_medical_test_apart(app, client):
    intake = factories.intake()
    app_ = h.application(intake, status=Status.SUBMITTED)
    day = h.selection_day(intake)
    first = factories.user("recruiter", language="en")
    db.session.commit()
    login(client, first)
    h.through_tests(client, app_.id, day.id, [0, 60, 70, 80])
    db.session.expire_all()
    fresh = db.session.get(Application, app_.id)
    assert fresh.status == Status.TESTS_PASSED
    assert float(fresh.score) == 70.0  # the mean of the three scored tests
    assert "Medically fit" in client.get(f"/review/applications/{app_.id}").get_data(
        as_text=True)


def test_medical_staff_find_the_medical_tests_in_the_menu_and_recruiters_do_not(app, client):
    login(client, factories.user("medical_staff", language="en"))
    db.session.commit()
    assert 'href="/medical/"' in client.get("/account").get_data(as_text=True)
    login(client, factories.user("recruiter", language="en"))
    db.session.commit()
    assert 'href="/medical/"' not in client.get("/staff").get_data(as_text=True)
