"""Selection never exceeds the intake's or a component's quota, even under concurrency."""
from __future__ import annotations

import os
import threading

import pytest

from portal import i18n
from portal.applications import quotas, review_services
from portal.applications.models import Application, Status
from portal.applications.review_models import Decision
from portal.applications.workflow import SYSTEM, TransitionError, transition
from portal.extensions import db
from tests import factories
from tests.applications import review_helpers as h


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


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                    reason="row locks are proven on PostgreSQL (set TEST_DATABASE_URL)")
def test_two_recruiters_confirming_the_last_place_at_once_select_only_one(app):
    intake = factories.intake(quota_total=1, quota_land=1)
    proposer = factories.user("recruiter", password=None, language="en")
    confirmers = [factories.user("recruiter", password=None, language="en") for _ in range(2)]
    apps = [h.application(intake, status=Status.TESTS_PASSED) for _ in range(2)]
    decisions = [h.decision(a, "select", proposer) for a in apps]
    db.session.commit()
    ids = [(d.id, c.id) for d, c in zip(decisions, confirmers, strict=True)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm(decision_id: int, user_id: int) -> None:
        from portal.accounts.models import User

        with app.app_context(), i18n.locale("en"):  # its own session and connection
            decision = db.session.get(Decision, decision_id)
            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                review_services.confirm(decision, user, decision.application.version)
                db.session.commit()
                outcomes.append("selected")
            except TransitionError as error:
                db.session.rollback()
                outcomes.append(error.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=pair) for pair in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == sorted(["selected", "The intake's quota of 1 places is reached."])
    db.session.expire_all()
    selected = db.session.scalar(db.select(db.func.count()).select_from(Application).where(
        Application.status == Status.SELECTED))
    assert selected == 1
