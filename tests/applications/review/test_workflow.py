"""The life cycle table: every (status, action, role) either moves or is refused."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal import i18n
from portal.applications.models import ReviewRequest, Status
from portal.applications.workflow import (
    FOUR_EYES,
    SYSTEM,
    TRANSITIONS,
    TransitionError,
    transition,
)
from portal.audit import AuditEvent
from portal.extensions import db
from portal.models import utcnow
from portal.security import Role
from tests.support import factories
from tests.support import review as h
from tests.support.matrix import matrix

ACTIONS = sorted({action for _status, action in TRANSITIONS})
ROLES = [Role.CITIZEN, Role.RECRUITER, Role.ADMIN, Role.EMPLOYER, Role.SECURITY_OFFICER,
         SYSTEM]


@pytest.fixture(autouse=True)
def _english(app):
    with i18n.locale("en"):
        yield


def _prepare(app_, action, actor):
    """What an allowed move needs beyond its status: test results, a proposed decision."""
    if action == "schedule_tests":
        h.convoke(app_, h.selection_day(app_.intake))
    if action == "pass_tests":
        h.results(app_, passed=True)
    if action == "fail_tests":
        h.results(app_, passed=False)
    if action == "reopen":  # only a rejection overturned on review reopens
        app_.decided_at = utcnow() - timedelta(days=1)
        db.session.add(ReviewRequest(application_id=app_.id, contested=app_.status,
                                     reason="A reason of some length.", outcome="overturned",
                                     answer="Overturned.", answered_at=utcnow()))
        db.session.flush()
    if action in FOUR_EYES and actor is not None and actor.role in (Role.RECRUITER, Role.ADMIN):
        return h.decision(app_, action, factories.user("recruiter", password=None, language="en"))
    if action in FOUR_EYES and actor is not None and actor.role == Role.SECURITY_OFFICER:
        # a refusal on the security ground, recorded by another security officer
        return h.decision(app_, action, factories.user("security_officer", password=None),
                          reason_code="security")
    return None


@pytest.mark.parametrize(("status", "action"), matrix(status=Status, action=ACTIONS))
def test_every_status_action_and_role(app, status, action):
    intake = factories.intake()
    move = TRANSITIONS.get((status, action))
    for role in ROLES:
        owner = factories.user("citizen", password=None)
        app_ = h.application(intake, status=status, user=owner)
        actor = None if role is SYSTEM else (
            owner if role == Role.CITIZEN else factories.user(role, password=None))
        decision = _prepare(app_, action, actor)
        version = app_.version
        if move is not None and role in move[1]:
            event = transition(app_, action, actor, "because", version=version, decision=decision)
            assert app_.status == move[0], role
            assert app_.version == version + 1
            assert (event.from_status, event.to_status) == (status, move[0])
            assert event.actor_id == getattr(actor, "id", None)
            logged = db.session.scalar(db.select(AuditEvent).where(
                AuditEvent.action == f"application.{action}",
                AuditEvent.object_id == str(app_.id)))
            assert logged.actor_id == getattr(actor, "id", None)
            assert '"reason": "because"' in logged.details
        else:
            with pytest.raises(TransitionError) as refused:
                transition(app_, action, actor, "because", version=version, decision=decision)
            assert refused.value.message, role
            assert app_.status == status
            assert app_.version == version


def test_a_stale_version_is_refused_with_a_clear_message(app):
    app_ = h.application(factories.intake())
    with pytest.raises(TransitionError, match="changed by someone else"):
        transition(app_, "start_screening", factories.user("recruiter", password=None),
                   version=app_.version - 1)
    assert app_.status == Status.SUBMITTED


def test_a_citizen_cannot_move_someone_elses_application(app):
    app_ = h.application(factories.intake(), status=Status.SELECTED)
    with pytest.raises(TransitionError):
        transition(app_, "accept_offer", factories.user("citizen", password=None))
    assert app_.status == Status.SELECTED


def test_a_recruiter_cannot_select_without_a_second_recruiter(app):
    app_ = h.application(factories.intake(), status=Status.TESTS_PASSED)
    recruiter = factories.user("recruiter", password=None, language="en")
    with pytest.raises(TransitionError, match="proposed first"):
        transition(app_, "select", recruiter)
    own = h.decision(app_, "select", recruiter)
    with pytest.raises(TransitionError, match="you proposed it"):
        transition(app_, "select", recruiter, decision=own)
    assert app_.status == Status.TESTS_PASSED


def test_passing_tests_needs_all_four_results_passed(app):
    app_ = h.application(factories.intake(), status=Status.TESTS_SCHEDULED)
    recruiter = factories.user("recruiter", password=None, language="en")
    with pytest.raises(TransitionError, match="All four tests"):
        transition(app_, "pass_tests", recruiter)
    h.results(app_, passed=False)
    with pytest.raises(TransitionError, match="All four tests"):
        transition(app_, "pass_tests", recruiter)
    transition(app_, "fail_tests", recruiter)
    assert app_.status == Status.TESTS_FAILED


def test_selection_sets_the_offer_deadline_from_the_intake(app):
    intake = factories.intake(offer_days=7)
    app_ = h.application(intake, status=Status.WAITLISTED)
    transition(app_, "select", SYSTEM)
    assert (app_.offer_deadline - app_.decided_at.date()).days == 7
