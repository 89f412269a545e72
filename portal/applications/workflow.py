"""The application life cycle: one table of allowed moves and one transition()."""
from __future__ import annotations

from dataclasses import dataclass

from portal import audit
from portal.applications.models import Application, ApplicationEvent, Status
from portal.extensions import db
from portal.models import utcnow
from portal.security import Role

S = Status
C, R, A = Role.CITIZEN, Role.RECRUITER, Role.ADMIN
STAFF = frozenset({R, A})
SYSTEM = None  # transitions made by the portal itself (deadlines, waitlist moves)

# (from_status, action) -> (to_status, roles allowed; SYSTEM means no user needed)
TRANSITIONS: dict[tuple[Status, str], tuple[Status, frozenset]] = {
    (S.DRAFT, "submit"): (S.SUBMITTED, frozenset({C})),
    (S.SUBMITTED, "start_screening"): (S.SCREENING, STAFF),
    (S.SCREENING, "schedule_tests"): (S.TESTS_SCHEDULED, STAFF),
    (S.SCREENING, "reject"): (S.REJECTED, STAFF),
    (S.TESTS_SCHEDULED, "pass_tests"): (S.TESTS_PASSED, STAFF),
    (S.TESTS_SCHEDULED, "fail_tests"): (S.TESTS_FAILED, STAFF),
    (S.TESTS_PASSED, "select"): (S.SELECTED, STAFF),
    (S.TESTS_PASSED, "waitlist"): (S.WAITLISTED, STAFF),
    (S.TESTS_PASSED, "reject"): (S.REJECTED, STAFF),
    (S.TESTS_FAILED, "reject"): (S.REJECTED, STAFF),
    (S.WAITLISTED, "select"): (S.SELECTED, STAFF | {SYSTEM}),
    (S.WAITLISTED, "reject"): (S.REJECTED, STAFF),
    (S.SELECTED, "accept_offer"): (S.OFFER_ACCEPTED, frozenset({C})),
    (S.SELECTED, "decline_offer"): (S.OFFER_DECLINED, frozenset({C})),
    (S.SELECTED, "expire_offer"): (S.OFFER_DECLINED, STAFF | {SYSTEM}),
    (S.OFFER_ACCEPTED, "start_service"): (S.IN_SERVICE, STAFF),
    (S.IN_SERVICE, "complete"): (S.COMPLETED, STAFF),
    (S.IN_SERVICE, "leave"): (S.LEFT, STAFF | {C}),
    (S.COMPLETED, "choose_career"): (S.CAREER, STAFF | {C}),
    (S.COMPLETED, "choose_reserve"): (S.RESERVE, STAFF | {C}),
    (S.COMPLETED, "leave"): (S.LEFT, STAFF | {C}),
}

# A candidate may withdraw at any point before in_service.
WITHDRAWABLE = (
    S.DRAFT, S.SUBMITTED, S.SCREENING, S.TESTS_SCHEDULED, S.TESTS_PASSED, S.TESTS_FAILED,
    S.SELECTED, S.WAITLISTED, S.OFFER_ACCEPTED,
)
for _status in WITHDRAWABLE:
    TRANSITIONS[(_status, "withdraw")] = (S.WITHDRAWN, frozenset({C}))


class TransitionError(Exception):
    """A move the life cycle does not allow; `message` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Move:
    to_status: Status
    roles: frozenset


def allowed_actions(application: Application, role: Role | str | None) -> list[str]:
    role = Role(role) if role else SYSTEM
    return [
        action for (status, action), (_to, roles) in TRANSITIONS.items()
        if status == application.status and role in roles
    ]


def transition(
    application: Application, action: str, actor, reason: str = "", *, version: int | None = None
) -> ApplicationEvent:
    """Check and make one move: record it, audit it. Flushes; the caller commits.

    `actor` is a User, or None when the portal itself acts. `version`, when given,
    is the version the actor saw: a different current version means the page was stale.
    """
    from flask_babel import gettext as _

    if version is not None and version != application.version:
        raise TransitionError(
            _("This application was changed by someone else meanwhile. Check it and try again.")
        )
    key = (Status(application.status), action)
    if key not in TRANSITIONS:
        raise TransitionError(_("This action is not possible in the application's current state."))
    to_status, roles = TRANSITIONS[key]
    role = Role(actor.role) if actor is not None else SYSTEM
    if role not in roles:
        raise TransitionError(_("You are not allowed to take this action."))
    if role == Role.CITIZEN and actor.id != application.user_id:
        raise TransitionError(_("You are not allowed to take this action."))
    from_status = application.status
    application.status = to_status
    application.version += 1
    application.status_changed_at = utcnow()
    if to_status == S.SUBMITTED:
        application.submitted_at = application.status_changed_at
    event = ApplicationEvent(
        application=application, action=action, from_status=from_status,
        to_status=to_status, actor_id=getattr(actor, "id", None), reason=reason,
    )
    db.session.add(event)
    audit.record(actor, f"application.{action}", application,
                 from_status=str(from_status), to_status=str(to_status), reason=reason)
    db.session.flush()
    return event
