"""application_moved: every move is announced once, inside the transaction, with its facts."""
from __future__ import annotations

from portal.applications.models import Status
from portal.applications.signals import application_moved
from portal.applications.workflow import SYSTEM, transition
from portal.extensions import db
from tests.support import factories
from tests.support import review as h


def test_a_move_is_announced_with_its_event_actor_and_statuses(app):
    intake = factories.intake()
    app_ = h.application(intake, status=Status.SUBMITTED)
    recruiter = factories.user("recruiter", password=None)
    heard = []

    def receiver(sender, **kwargs):
        heard.append((sender, kwargs))

    with application_moved.connected_to(receiver):
        event = transition(app_, "start_screening", recruiter, "first look")
    assert len(heard) == 1
    sender, facts = heard[0]
    assert sender is app_ and facts["event"] is event
    assert (facts["action"], facts["from_status"], facts["to_status"]) == (
        "start_screening", Status.SUBMITTED, Status.SCREENING)
    assert facts["actor"] is recruiter and facts["decision"] is None


def test_what_a_receiver_writes_rolls_back_with_a_refused_move(app):
    intake = factories.intake()
    app_ = h.application(intake, status=Status.WAITLISTED)
    db.session.commit()

    def refuse(sender, **kwargs):
        raise RuntimeError("a receiver failed")

    with application_moved.connected_to(refuse):
        try:
            transition(app_, "select", SYSTEM, "place freed", component="land")
        except RuntimeError:
            db.session.rollback()
    assert db.session.get(type(app_), app_.id).status == Status.WAITLISTED
