"""The engagement life cycle: every (status, action, role) is allowed exactly as the table says."""
from __future__ import annotations

import pytest

from portal import i18n
from portal.audit import AuditEvent
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import workflow
from portal.reserve.models import EngagementEvent, EngagementStatus
from portal.security import Role
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.matrix import matrix

ACTIONS = sorted({action for (_status, action) in workflow.TRANSITIONS})
ROLES = ["owner", "other_citizen", *[str(r) for r in Role if r != Role.CITIZEN], "system"]


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


# Every (status, action) pair, each tried by every role in a savepoint of its own.
@pytest.mark.parametrize(("status", "action"), matrix(status=EngagementStatus, action=ACTIONS))
def test_each_move_is_allowed_exactly_for_the_roles_of_the_table(app, status, action):
    owner = factories.user()
    unit = helpers.unit()
    actors = {"owner": owner, "other_citizen": factories.user(), "system": None}
    actors.update({r: factories.user(role=r) for r in ROLES if r not in actors})
    engagement = helpers.engagement(owner, status=status, unit=unit)
    db.session.flush()
    for role in ROLES:
        actor = actors[role]
        savepoint = db.session.begin_nested()
        if _expected(status, action, role):
            event = workflow.transition(engagement, action, actor, reason="because")
            assert engagement.status == workflow.TRANSITIONS[(status, action)][0], role
            assert event.from_status == status and event.actor_id == getattr(actor, "id", None)
            assert db.session.scalar(db.select(AuditEvent).where(
                AuditEvent.action == f"reserve.engagement.{action}")) is not None
        else:
            with pytest.raises(Refusal):
                workflow.transition(engagement, action, actor)
            assert engagement.status == status, role
            assert db.session.scalars(db.select(EngagementEvent)).all() == []
        savepoint.rollback()
        db.session.expire_all()


def test_approval_needs_a_unit_and_a_start_date(app):
    engagement = helpers.engagement(status=EngagementStatus.SCREENING)
    recruiter = factories.user(role="recruiter")
    with i18n.locale("en"), pytest.raises(Refusal, match="unit"):
        workflow.transition(engagement, "approve", recruiter)


def test_a_stale_page_is_refused(app):
    engagement = helpers.engagement()
    recruiter = factories.user(role="recruiter")
    with i18n.locale("en"), pytest.raises(Refusal, match="changed by someone else"):
        workflow.transition(engagement, "start_screening", recruiter,
                            version=engagement.version + 1)
