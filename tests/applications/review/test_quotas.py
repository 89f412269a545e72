"""Selection never exceeds the intake's or a component's quota, even under concurrency."""
from __future__ import annotations

import os
from functools import partial

import pytest

from portal import i18n
from portal.applications import quotas
from portal.applications.models import Application, ApplicationEvent, Decision, Status
from portal.applications.review import services as review_services
from portal.applications.workflow import SYSTEM, TransitionError, transition
from portal.extensions import db
from portal.letters.models import Letter
from tests.support import factories, races
from tests.support import review as h


@pytest.fixture(autouse=True)
def _english(app):
    with i18n.locale("en"):
        yield


def test_the_intake_quota_stops_selection(app):
    intake = factories.intake(quota_total=1, quota_land=5)
    h.application(intake, status=Status.OFFER_ACCEPTED, component="land")
    waiting = h.application(intake, status=Status.WAITLISTED, component="land")
    with pytest.raises(quotas.QuotaError, match="intake's quota of 1 places"):
        transition(waiting, "select", SYSTEM)
    assert waiting.status == Status.WAITLISTED


def test_a_component_quota_stops_selection_while_others_have_room(app):
    intake = factories.intake(quota_total=10, quota_air=1, quota_land=5)
    h.application(intake, status=Status.SELECTED, component="air")
    air = h.application(intake, status=Status.WAITLISTED, component="air")
    land = h.application(intake, status=Status.WAITLISTED, component="land")
    with pytest.raises(quotas.QuotaError, match="quota of 1 places for this component"):
        transition(air, "select", SYSTEM)
    transition(land, "select", SYSTEM)
    assert (air.status, land.status) == (Status.WAITLISTED, Status.SELECTED)
    usage = {u.component: (u.taken, u.free) for u in quotas.usage(intake)}
    assert usage[None] == (2, 8) and usage["air"] == (1, 0) and usage["land"] == (1, 4)


def test_declined_and_rejected_do_not_hold_places(app):
    intake = factories.intake(quota_total=1, quota_land=1)
    h.application(intake, status=Status.OFFER_DECLINED, component="land")
    h.application(intake, status=Status.REJECTED, component="land")
    waiting = h.application(intake, status=Status.WAITLISTED, component="land")
    transition(waiting, "select", SYSTEM)
    assert waiting.status == Status.SELECTED


def _race(app, pairs) -> list[str]:
    """Each (decision id, user id) confirmed in its own thread, session and connection,
    all released at the same moment; returns "selected" or the refusal of each."""
    from portal.accounts.models import User

    def attempt(decision_id: int, user_id: int):
        decision = db.session.get(Decision, decision_id)
        user = db.session.get(User, user_id)
        seen = decision.application.version  # the page both recruiters have open

        def move():
            review_services.confirm(decision, user, seen)
            return "selected"
        return move

    return races.at_once(app, [partial(attempt, *pair) for pair in pairs],
                         refused=(TransitionError,))


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                    reason="row locks are proven on PostgreSQL (set TEST_DATABASE_URL)")
def test_two_recruiters_confirming_at_the_same_moment_never_overfill(app):
    intake = factories.intake(quota_total=1, quota_land=1)
    proposer = factories.user("recruiter", password=None, language="en")
    confirmers = [factories.user("recruiter", password=None, language="en") for _ in range(2)]
    apps = [h.application(intake, status=Status.TESTS_PASSED) for _ in range(2)]
    decisions = [h.decision(a, "select", proposer) for a in apps]
    db.session.commit()
    # The last place, two candidates: exactly one is selected.
    outcomes = _race(app, [(d.id, c.id) for d, c in zip(decisions, confirmers, strict=True)])
    assert outcomes == sorted(["selected", "The intake's quota of 1 places is reached."])
    db.session.expire_all()
    selected = db.session.scalar(db.select(db.func.count()).select_from(Application).where(
        Application.status == Status.SELECTED))
    assert selected == 1

    # One decision confirmed twice at once (two tabs, a double click): one move, one letter.
    roomy = h.application(factories.intake(), status=Status.TESTS_PASSED)
    twice = h.decision(roomy, "select", proposer)
    db.session.commit()
    outcomes = _race(app, [(twice.id, confirmers[0].id), (twice.id, confirmers[1].id)])
    assert outcomes == sorted([
        "selected",
        "This application was changed by someone else meanwhile. Check it and try again."])
    moves = db.session.scalar(db.select(db.func.count()).select_from(ApplicationEvent).where(
        ApplicationEvent.application_id == roomy.id, ApplicationEvent.action == "select"))
    letters = db.session.scalar(db.select(db.func.count()).select_from(Letter).where(
        Letter.subject_id == str(roomy.id)))
    assert (moves, letters) == (1, 1)
