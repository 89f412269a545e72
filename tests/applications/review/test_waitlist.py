"""The waitlist: ranked by score, moved up when a place frees or an offer expires."""
from __future__ import annotations

from datetime import date, timedelta

from portal.applications import waitlist
from portal.applications.models import Application, Status
from portal.audit import AuditEvent
from portal.extensions import db
from portal.models import utcnow
from tests.support import factories
from tests.support import review as h


def test_waitlist_ranks_by_score_then_who_applied_first(app):
    intake = factories.intake()
    now = utcnow()
    late = h.application(intake, status=Status.WAITLISTED, score=80,
                         submitted_at=now - timedelta(days=1))
    early = h.application(intake, status=Status.WAITLISTED, score=80,
                          submitted_at=now - timedelta(days=5))
    best = h.application(intake, status=Status.WAITLISTED, score=95)
    unscored = h.application(intake, status=Status.WAITLISTED, score=None)
    navy = h.application(intake, status=Status.WAITLISTED, score=50, component="navy")
    waitlist.rerank(intake.id, "land")
    waitlist.rerank(intake.id, "navy")
    assert [a.waitlist_rank for a in (best, early, late, unscored)] == [1, 2, 3, 4]
    assert navy.waitlist_rank == 1


def test_putting_on_the_waitlist_ranks_at_once(app):
    intake = factories.intake()
    h.application(intake, status=Status.WAITLISTED, score=90)
    app_ = h.application(intake, status=Status.TESTS_PASSED, score=70)
    h.waitlist(app_)
    assert app_.waitlist_rank == 2


def test_a_freed_place_goes_to_the_best_of_that_component(app):
    intake = factories.intake(offer_days=5)
    h.application(intake, status=Status.WAITLISTED, score=99, component="air")
    second = h.application(intake, status=Status.WAITLISTED, score=60)
    first = h.application(intake, status=Status.WAITLISTED, score=75)
    decliner = factories.user("citizen", password=None)
    offered = waitlist.on_place_freed(intake, "land", actor=decliner)
    assert offered is first
    assert first.status == Status.SELECTED and first.waitlist_rank is None
    assert first.offer_deadline == date.today() + timedelta(days=5)
    assert second.waitlist_rank == 1
    event = first.events[-1]
    assert event.actor_id is None and event.action == "select"
    logged = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "waitlist.place_offered"))
    assert logged.actor_id == decliner.id


def test_nobody_waiting_means_nobody_is_offered(app):
    intake = factories.intake()
    h.application(intake, status=Status.WAITLISTED, component="air")
    assert waitlist.on_place_freed(intake, "land") is None


def test_expire_offers_command_declines_late_offers_and_moves_the_list_up(app):
    intake = factories.intake(quota_total=1, quota_land=1)
    late = h.application(intake, status=Status.SELECTED,
                         offer_deadline=date.today() - timedelta(days=1))
    on_time = h.application(factories.intake(), status=Status.SELECTED,
                            offer_deadline=date.today())
    nextone = h.application(intake, status=Status.WAITLISTED, score=70)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["applications", "expire-offers"])
    assert result.exit_code == 0, result.output
    assert "1 offer(s) expired." in result.output
    db.session.expire_all()
    assert db.session.get(Application, late.id).status == Status.OFFER_DECLINED
    assert db.session.get(Application, on_time.id).status == Status.SELECTED
    moved = db.session.get(Application, nextone.id)
    assert moved.status == Status.SELECTED
    assert moved.offer_deadline == date.today() + timedelta(days=intake.offer_days)
