"""The reserve engagement life cycle, declared on the portal's life-cycle core: one table
of allowed moves and their guards."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.lifecycle import SYSTEM, LifeCycle, citizen_owns
from portal.reserve.models import Engagement, EngagementEvent
from portal.reserve.models import EngagementStatus as S
from portal.reserve.signals import engagement_moved
from portal.security import Role

C, R, A = Role.CITIZEN, Role.RECRUITER, Role.ADMIN
STAFF = frozenset({R, A})

# (from_status, action) -> (to_status, roles allowed; SYSTEM means no user needed)
TRANSITIONS: dict[tuple[S, str], tuple[S, frozenset]] = {
    (S.APPLIED, "start_screening"): (S.SCREENING, STAFF),
    (S.SCREENING, "approve"): (S.APPROVED, STAFF),
    (S.SCREENING, "reject"): (S.REJECTED, STAFF),
    (S.APPROVED, "activate"): (S.ACTIVE, STAFF | {SYSTEM}),
    (S.ACTIVE, "end"): (S.ENDED, STAFF | {SYSTEM}),
    (S.APPLIED, "withdraw"): (S.WITHDRAWN, frozenset({C})),
    (S.SCREENING, "withdraw"): (S.WITHDRAWN, frozenset({C})),
    (S.APPROVED, "withdraw"): (S.WITHDRAWN, frozenset({C})),
}

# The letter each move issues (templates/letters/<kind>.html, declared in LETTER_KINDS), by a
# signal subscriber.
LETTERS = {"approve": "reserve", "reject": "reserve"}

# Engagements waiting for a recruiter, and those that make someone a reservist.
UNDECIDED = (S.APPLIED, S.SCREENING)
SERVING = (S.APPROVED, S.ACTIVE)


def _unit_and_start_set(engagement: Engagement) -> str | None:
    if engagement.unit_id is None or engagement.start_date is None:
        return _("Choose the unit and the start date first.")
    return None


def _started(engagement: Engagement) -> str | None:
    if engagement.start_date is None or engagement.start_date > clock.today():
        return _("The engagement has not started yet.")
    return None


# Conditions beyond the current status: action -> check returning a message when not met.
GUARDS = {"approve": _unit_and_start_set, "activate": _started}


def _stamp(engagement: Engagement, action: str, _reason: str) -> None:
    if action in ("approve", "reject"):
        engagement.decided_at = engagement.status_changed_at


ENGAGEMENTS = LifeCycle(
    model=Engagement, event=EngagementEvent, states=S,
    transitions=TRANSITIONS, guards=GUARDS, may_act=citizen_owns("user_id"), stamp=_stamp,
    signal=engagement_moved, audit_prefix="reserve.engagement",
    not_possible=_l("This action is not possible in the engagement's current state."),
    stale=_l("This engagement was changed by someone else meanwhile. Check it and try again."),
)

# A move: transition(engagement, action, actor, reason="", *, version=None) ->
# EngagementEvent. Subscribers of `engagement_moved` issue the letter and queue the e-mail.
transition = ENGAGEMENTS.move
allowed_actions = ENGAGEMENTS.allowed_actions
