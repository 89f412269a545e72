"""Two recruiters take an intake from the queue to full, through the real pages."""
from __future__ import annotations

from portal.applications.models import Application, Status
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories
from tests.support import review as h
from tests.support.review import confirm as _confirm
from tests.support.review import login as _login
from tests.support.review import post as _post
from tests.support.review import propose as _propose
from tests.support.review import through_tests as _through_tests


def test_two_recruiters_fill_an_intake_within_quota(app, client):
    intake = factories.intake(quota_total=2, quota_land=2, quota_air=0, quota_navy=0,
                              quota_medical=0, quota_cyber=0)
    first, second = (factories.user("recruiter", language="en") for _ in range(2))
    apps = [h.application(intake, last_name=f"Peeters{i}") for i in range(4)]
    day = h.selection_day(intake, capacity=10)
    db.session.commit()
    ids = [a.id for a in apps]

    _login(client, first)
    queue = client.get(f"/review/intakes/{intake.id}").get_data(as_text=True)
    for a in apps:
        assert a.reference in queue
    for n, app_id in enumerate(ids):
        _through_tests(client, app_id, day.id, [60 + n] * 4)
    for a in apps:  # the vetting authority cleared them (tests/screening goes through it)
        h.security_cleared(a)
    db.session.commit()

    for app_id in ids[:3]:
        response = _propose(client, app_id, "select", component="land")
        assert response.status_code == 302
    page = client.get(f"/review/applications/{ids[0]}").get_data(as_text=True)
    assert "A second recruiter must confirm your proposal." in page
    assert "/confirm" not in page

    _login(client, second)
    for app_id in ids[:2]:
        follow = _confirm(client, app_id)
        assert follow.status_code == 302
    refused = _confirm(client, ids[2])
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "quota of 2 places is reached" in page
    waitlisted = _post(client, f"/review/applications/{ids[3]}/waitlist", ids[3])
    assert waitlisted.status_code == 302
    _login(client, first)  # the waitlist, too, is a decision for two
    assert _confirm(client, ids[3]).status_code == 302

    db.session.expire_all()
    statuses = [db.session.get(Application, i).status for i in ids]
    assert statuses == [Status.SELECTED, Status.SELECTED, Status.TESTS_PASSED, Status.WAITLISTED]
    assert db.session.get(Application, ids[3]).waitlist_rank == 1
    viewed = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "application.viewed"))
    assert viewed > 0
    history = client.get(f"/review/applications/{ids[0]}").get_data(as_text=True)
    assert first.full_name in history and second.full_name in history


def test_the_application_page_shows_the_answers_with_labels_and_is_audited(app, client):
    import json

    intake = factories.intake()
    app_ = h.application(intake, answers=json.dumps({
        "personal": {"first_name": "Lotte", "last_name": "Peeters", "nationality": "belgian",
                     "nn_hash": "secret-hash", "language": "nl"},
        "contact": {"street": "Veldstraat", "house_number": "12", "postcode": "9000",
                    "municipality": "Gent"},
        "preferences": {"choice_1": "navy"},
    }))
    recruiter = factories.user("recruiter", language="en")
    db.session.commit()
    _login(client, recruiter)
    page = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
    assert "Personal details" in page and "Nationality" in page and "Belgian" in page
    assert "Veldstraat" in page and "Naval component" in page
    assert "secret-hash" not in page
    viewed = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "application.viewed"))
    assert (viewed.actor_id, viewed.object_id) == (recruiter.id, str(app_.id))
