"""The recruiter's application page: refusals next to the action, answers in the form's
order, and the notes the portal records in the reader's language."""
from __future__ import annotations

import json

from portal.applications.models import Decision, Status
from portal.applications.workflow import SYSTEM, transition
from portal.extensions import db
from tests.support import factories
from tests.support import review as h
from tests.support.client import csrf_token, login


def test_a_refused_decision_is_shown_in_the_decision_section(app, client):
    intake = factories.intake()
    app_ = h.application(intake, status=Status.TESTS_PASSED, score=70)
    first = factories.user("recruiter", language="en")
    db.session.commit()
    login(client, first)
    h.propose(client, app_.id, "select", component="land")
    # The same recruiter tries to confirm their own proposal: refused.
    decision_id = db.session.scalar(db.select(Decision.id))
    token = csrf_token(client, f"/review/applications/{app_.id}")
    response = client.post(f"/review/decisions/{decision_id}/confirm",
                           data={"csrf_token": token, "version": app_.version})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#decision-refusal")
    page = client.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
    decision = page[page.index('id="decision-title"'):page.index('id="history-title"')]
    assert 'id="decision-refusal"' in decision and 'role="alert"' in decision
    # Not repeated at the top of the page.
    assert page.count('class="flash flash-error"') == 1


def test_the_answers_are_shown_in_the_order_of_the_form(app, client):
    intake = factories.intake()
    app_ = h.application(intake, answers=json.dumps({
        "contact": {"street": "Veldstraat", "house_number": "12", "postcode": "9000",
                    "municipality": "Gent", "email": "lotte@example.be", "phone": "0470",
                    "box": ""},
        "personal": {"first_name": "Lotte", "last_name": "Peeters", "nationality": "belgian",
                     "birth_date": "2006-03-01", "language": "nl"},
    }, sort_keys=True))
    recruiter = factories.user("recruiter", language="en")
    db.session.commit()
    login(client, recruiter)
    page = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
    personal = page[page.index("<h3>Personal details</h3>"):]
    order = [personal.index(f"<dt>{label}</dt>") for label in
             ("First name", "Last name", "Date of birth", "Nationality")]
    assert order == sorted(order)
    contact = page[page.index("<h3>Contact</h3>"):]
    order = [contact.index(f"<dt>{label}</dt>") for label in
             ("Street", "House number", "Postcode", "Municipality")]
    assert order == sorted(order)


def test_the_notes_of_the_portal_and_reasons_are_in_the_readers_language(app, client):
    intake = factories.intake(quota_total=5, quota_land=5)
    moved = h.application(intake, status=Status.WAITLISTED, score=60, waitlist_rank=1)
    lapsed = h.application(intake, status=Status.SELECTED, score=80)
    transition(moved, "select", SYSTEM, "waitlist: place freed", component="land")
    transition(lapsed, "expire_offer", SYSTEM, "offer deadline passed")
    recruiter = factories.user("recruiter", language="fr")
    db.session.commit()
    login(client, recruiter)
    page = client.get(f"/review/applications/{moved.id}").get_data(as_text=True)
    assert "waitlist: place freed" not in page
    assert "liste d" in page.split('id="history-title"')[1]
    page = client.get(f"/review/applications/{lapsed.id}").get_data(as_text=True)
    assert "offer deadline passed" not in page
