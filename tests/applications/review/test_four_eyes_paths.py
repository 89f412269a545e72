"""Every path to selected or rejected carries a decision confirmed by two different people,
the waitlist included: one recruiter alone cannot select anyone, not even through it."""
from __future__ import annotations

import pytest

from portal.applications import waitlist
from portal.applications.models import Decision, Status
from portal.applications.review import services
from portal.applications.workflow import SYSTEM, TRANSITIONS, transition
from portal.audit import AuditEvent
from portal.extensions import db
from portal.refusals import Refusal
from tests.support import factories
from tests.support import review as h

FINAL = (Status.SELECTED, Status.REJECTED)
PATHS = sorted((str(status), action) for (status, action), (to, _roles) in TRANSITIONS.items()
               if to in FINAL)


def test_the_paths_are_the_ones_we_think():
    assert PATHS == [("screening", "reject"), ("tests_failed", "reject"),
                     ("tests_passed", "reject"), ("tests_passed", "select"),
                     # a refusal after an unfavourable security screening (two officers)
                     ("tests_scheduled", "reject"),
                     ("waitlisted", "reject"), ("waitlisted", "select")]


@pytest.mark.parametrize(("status", "action"), PATHS)
def test_no_recruiter_alone_takes_a_path_to_a_final_status(app, status, action):
    intake = factories.intake()
    app_ = h.application(intake, status=status, score=70)
    recruiter = factories.user("recruiter", password=None)
    with pytest.raises(Refusal):
        transition(app_, action, recruiter)  # no decision at all
    decision = Decision(application_id=app_.id, action=action, component="land",
                        application_version=app_.version, proposed_by_id=recruiter.id)
    db.session.add(decision)
    db.session.flush()
    with pytest.raises(Refusal):
        transition(app_, action, recruiter, decision=decision)  # their own proposal
    assert app_.status == status


@pytest.mark.parametrize(("status", "action"), PATHS)
def test_the_portal_alone_takes_a_path_only_on_a_confirmed_waitlisting(app, status, action):
    intake = factories.intake()
    app_ = h.application(intake, status=status, score=70, confirmed=False)
    with pytest.raises(Refusal):
        transition(app_, action, SYSTEM)
    assert app_.status == status


def test_one_recruiter_cannot_waitlist_alone(app):
    intake = factories.intake()
    app_ = h.application(intake, status=Status.TESTS_PASSED, score=70)
    recruiter = factories.user("recruiter", password=None)
    with pytest.raises(Refusal):
        transition(app_, "waitlist", recruiter)
    decision = services.put_on_waitlist(app_, recruiter, version=None)
    assert app_.status == Status.TESTS_PASSED
    with pytest.raises(Refusal):
        services.confirm(decision, recruiter, version=None)
    assert app_.status == Status.TESTS_PASSED


def test_the_bypass_of_the_penetration_test_is_closed(app, client):
    """One recruiter passes the tests and waitlists; a place is freed: nobody is selected
    until a second recruiter confirmed the waitlisting, and then with its record."""
    intake = factories.intake()
    alone = factories.user("recruiter", language="en")
    app_ = h.application(intake, status=Status.TESTS_PASSED, score=70)
    db.session.commit()
    h.login(client, alone)
    h.post(client, f"/review/applications/{app_.id}/waitlist", app_.id)
    db.session.refresh(app_)
    assert app_.status == Status.TESTS_PASSED  # only proposed
    assert waitlist.on_place_freed(intake, "land") is None

    other = factories.user("recruiter", language="en")
    db.session.commit()
    decision = services.open_decision(app_)
    services.confirm(decision, other, version=None)
    assert app_.status == Status.WAITLISTED
    assert waitlist.on_place_freed(intake, "land") is app_
    assert app_.status == Status.SELECTED
    offered = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "application.select")).all()
    assert [e.actor_id for e in offered] == [None]
    assert offered[0].details_dict["decision_id"] == decision.id


def test_a_waitlisting_by_one_person_is_never_promoted(app):
    intake = factories.intake()
    unconfirmed = h.application(intake, status=Status.WAITLISTED, score=99, confirmed=False)
    assert waitlist.on_place_freed(intake, "land") is None
    assert unconfirmed.status == Status.WAITLISTED
