"""The reserve engagement life cycle: one table of allowed moves and one transition()."""
from __future__ import annotations

from flask_babel import gettext as _

from portal import audit, clock
from portal.extensions import db
from portal.locking import lock_row
from portal.models import utcnow
from portal.refusals import Refusal
from portal.reserve.models import Engagement, EngagementEvent
from portal.reserve.models import EngagementStatus as S
from portal.reserve.signals import engagement_moved
from portal.security import Role

C, R, A = Role.CITIZEN, Role.RECRUITER, Role.ADMIN
STAFF = frozenset({R, A})
SYSTEM = None  # moves the portal makes itself (start date reached, commitment over)

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


def allowed_actions(engagement: Engagement, role: Role | str | None) -> list[str]:
    role = Role(role) if role else SYSTEM
    return [action for (status, action), (_to, roles) in TRANSITIONS.items()
            if status == engagement.status and role in roles]


def transition(engagement: Engagement, action: str, actor, reason: str = "", *,
               version: int | None = None) -> EngagementEvent:
    """Check and make one move: record it, audit it, announce it. Flushes; the caller commits.

    `actor` is a User, or None when the portal itself acts; `version`, when given, is the
    version the actor saw (a stale page is refused). Subscribers of `engagement_moved`
    issue the letter and queue the e-mail.
    """
    lock_row(Engagement, engagement.id)
    if version is not None and version != engagement.version:
        raise Refusal(_("This engagement was changed by someone else meanwhile. "
                        "Check it and try again."))
    key = (S(engagement.status), action)
    if key not in TRANSITIONS:
        raise Refusal(_("This action is not possible in the engagement's current state."))
    to_status, roles = TRANSITIONS[key]
    role = Role(actor.role) if actor is not None else SYSTEM
    if role not in roles:
        raise Refusal(_("You are not allowed to take this action."))
    if role == Role.CITIZEN and actor.id != engagement.user_id:
        raise Refusal(_("You are not allowed to take this action."))
    guard = GUARDS.get(action)
    problem = guard(engagement) if guard else None
    if problem:
        raise Refusal(problem)
    from_status = engagement.status
    engagement.status = to_status
    engagement.version += 1
    engagement.status_changed_at = utcnow()
    if action in ("approve", "reject"):
        engagement.decided_at = engagement.status_changed_at
    event = EngagementEvent(engagement=engagement, action=action, from_status=from_status,
                            to_status=to_status, actor_id=getattr(actor, "id", None),
                            reason=reason)
    db.session.add(event)
    audit.record(actor, f"reserve.engagement.{action}", engagement,
                 from_status=str(from_status), to_status=str(to_status), reason=reason)
    db.session.flush()
    engagement_moved.send(engagement, event=event, action=action, from_status=from_status,
                          to_status=to_status, actor=actor)
    return event
