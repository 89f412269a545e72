"""The engagement life cycle: every (status, action, role) is allowed exactly as the table says."""
from __future__ import annotations

import pytest

from portal.audit import AuditEvent
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import workflow
from portal.reserve.models import EngagementEvent, EngagementStatus
from portal.security import Role
from tests import factories
from tests.reserve import helpers

ACTIONS = sorted({action for (_status, action) in workflow.TRANSITIONS})
ROLES = ["owner", "other_citizen", *[str(r) for r in Role if r != Role.CITIZEN], "system"]
CASES = [(s, a, r) for s in EngagementStatus for a in ACTIONS for r in ROLES]


def _expected(status, action, role) -> bool:
    move = workflow.TRANSITIONS.get((EngagementStatus(status), action))
    if move is None:
        return False
    roles = move[1]
    if role == "system":
        return workflow.SYSTEM in roles
    if role in ("owner", "other_citizen"):
        return Role.CITIZEN in roles and role == "owner"
    return Role(role) in roles


@pytest.mark.parametrize(("status", "action", "role"), CASES)
def test_each_move_is_allowed_exactly_for_the_roles_of_the_table(app, status, action, role):
    owner = factories.user()
    unit = helpers.unit()
    engagement = helpers.engagement(owner, status=status, unit=unit)
    actor = {"owner": owner, "other_citizen": None, "system": None}.get(role)
    if role == "other_citizen":
        actor = factories.user()
    elif actor is None and role != "system":
        actor = factories.user(role=role)
    db.session.flush()
    if _expected(status, action, role):
        event = workflow.transition(engagement, action, actor, reason="because")
        assert engagement.status == workflow.TRANSITIONS[(status, action)][0]
        assert event.from_status == status and event.actor_id == getattr(actor, "id", None)
        assert db.session.scalar(db.select(AuditEvent).where(
            AuditEvent.action == f"reserve.engagement.{action}")) is not None
    else:
        with pytest.raises(Refusal):
            workflow.transition(engagement, action, actor)
        assert engagement.status == status
        assert db.session.scalars(db.select(EngagementEvent)).all() == []


def test_approval_needs_a_unit_and_a_start_date(app):
    engagement = helpers.engagement(status=EngagementStatus.SCREENING)
    recruiter = factories.user(role="recruiter")
    with pytest.raises(Refusal, match="unit"):
        workflow.transition(engagement, "approve", recruiter)


def test_a_stale_page_is_refused(app):
    engagement = helpers.engagement()
    recruiter = factories.user(role="recruiter")
    with pytest.raises(Refusal, match="changed by someone else"):
        workflow.transition(engagement, "start_screening", recruiter,
                            version=engagement.version + 1)
