"""The application life cycle: one table of allowed moves and one transition().

transition() checks a move, makes it, records and audits it, then announces it with
signals.application_moved; it knows none of what follows (see effects.py).
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from portal import audit, clock
from portal.applications import quotas, selection
from portal.applications.models import (
    Application,
    ApplicationEvent,
    Decision,
    ResultKind,
    ReviewRequest,
    Status,
)
from portal.applications.refusals import TransitionError
from portal.applications.signals import application_moved
from portal.applications.vetting.models import cleared
from portal.extensions import db
from portal.locking import lock
from portal.models import utcnow
from portal.security import Role

S = Status
C, R, A = Role.CITIZEN, Role.RECRUITER, Role.ADMIN
SO = Role.SECURITY_OFFICER
STAFF = frozenset({R, A})
# A refusal after an unfavourable security screening, confirmed by a second security officer
# (vetting/services.py), may come at any step before a decision: also while tests are
# scheduled, where recruiters themselves do not reject.
REFUSERS = STAFF | {SO}
SECURITY_REASON = "security"
SYSTEM = None  # transitions made by the portal itself (deadlines, waitlist moves)

# (from_status, action) -> (to_status, roles allowed; SYSTEM means no user needed)
TRANSITIONS: dict[tuple[Status, str], tuple[Status, frozenset]] = {
    (S.DRAFT, "submit"): (S.SUBMITTED, frozenset({C})),
    (S.SUBMITTED, "start_screening"): (S.SCREENING, STAFF),
    (S.SCREENING, "schedule_tests"): (S.TESTS_SCHEDULED, STAFF),
    (S.SCREENING, "reject"): (S.REJECTED, REFUSERS),
    (S.TESTS_SCHEDULED, "reject"): (S.REJECTED, frozenset({SO})),
    (S.TESTS_SCHEDULED, "pass_tests"): (S.TESTS_PASSED, STAFF),
    (S.TESTS_SCHEDULED, "fail_tests"): (S.TESTS_FAILED, STAFF),
    (S.TESTS_PASSED, "select"): (S.SELECTED, STAFF),
    (S.TESTS_PASSED, "waitlist"): (S.WAITLISTED, STAFF),
    (S.TESTS_PASSED, "reject"): (S.REJECTED, REFUSERS),
    (S.TESTS_FAILED, "reject"): (S.REJECTED, REFUSERS),
    (S.WAITLISTED, "select"): (S.SELECTED, STAFF | {SYSTEM}),
    (S.WAITLISTED, "reject"): (S.REJECTED, REFUSERS),
    # A rejection overturned on review (appeals.py): back to screening for a new decision.
    (S.REJECTED, "reopen"): (S.SCREENING, STAFF),
    (S.SELECTED, "accept_offer"): (S.OFFER_ACCEPTED, frozenset({C})),
    (S.SELECTED, "decline_offer"): (S.OFFER_DECLINED, frozenset({C})),
    (S.SELECTED, "expire_offer"): (S.OFFER_DECLINED, STAFF | {SYSTEM}),
    (S.OFFER_ACCEPTED, "start_service"): (S.IN_SERVICE, STAFF | {SYSTEM}),
    (S.IN_SERVICE, "complete"): (S.COMPLETED, STAFF | {SYSTEM}),
    (S.IN_SERVICE, "leave"): (S.LEFT, STAFF | {C}),
    (S.COMPLETED, "choose_career"): (S.CAREER, STAFF | {C}),
    (S.COMPLETED, "choose_reserve"): (S.RESERVE, STAFF | {C}),
    (S.COMPLETED, "leave"): (S.LEFT, STAFF | {C, SYSTEM}),
}

# A candidate may withdraw at any point before in_service.
WITHDRAWABLE = (
    S.DRAFT, S.SUBMITTED, S.SCREENING, S.TESTS_SCHEDULED, S.TESTS_PASSED, S.TESTS_FAILED,
    S.SELECTED, S.WAITLISTED, S.OFFER_ACCEPTED,
)
for _status in WITHDRAWABLE:
    TRANSITIONS[(_status, "withdraw")] = (S.WITHDRAWN, frozenset({C}))


# Selections, rejections and waitlistings are decisions: one recruiter proposes them, a
# different one confirms (a Decision). The portal's own move, offering a freed place to the
# first on the waitlist, needs the confirmed waitlisting of that candidate: every path to
# selected or rejected carries a decision confirmed by two people.
FOUR_EYES = frozenset({"select", "reject", "waitlist"})

# Statuses in which an application waits for a recruiter's decision (flagged when stale).
UNDECIDED = (S.SUBMITTED, S.SCREENING, S.TESTS_SCHEDULED, S.TESTS_PASSED, S.TESTS_FAILED)
DECIDING = {"select", "waitlist", "reject"}


def _tests_all_passed(application: Application) -> str | None:
    results = selection.results_by_kind(application)
    if len(results) < len(ResultKind) or not all(r.passed for r in results.values()):
        return _("All four tests must be recorded and passed first.")
    return None


def _a_test_failed(application: Application) -> str | None:
    if not any(not r.passed for r in selection.results_by_kind(application).values()):
        return _("Record the failed test first.")
    return None


def _convoked(application: Application) -> str | None:
    if selection.convocation_of(application) is None:
        return _("Choose a selection day first.")
    return None


def _overturned_on_review(application: Application) -> str | None:
    if application.decided_at is None:
        return _("Only a rejection overturned on review can be reopened.")
    overturned = db.session.scalar(
        db.select(ReviewRequest.id).where(
            ReviewRequest.application_id == application.id,
            ReviewRequest.contested == S.REJECTED, ReviewRequest.outcome == "overturned",
            ReviewRequest.answered_at >= application.decided_at))
    if overturned is None:
        return _("Only a rejection overturned on review can be reopened.")
    return None


def _security_cleared(application: Application) -> str | None:
    # Selected and waitlisted candidates are cleared: a place freed later goes to the next
    # on the waitlist without another check.
    if not cleared(application):
        return _("The security screening must first end with a favourable outcome.")
    return None


# Conditions beyond the current status: action -> check returning a message when not met.
GUARDS = {"schedule_tests": _convoked, "pass_tests": _tests_all_passed,
          "fail_tests": _a_test_failed, "reopen": _overturned_on_review,
          "select": _security_cleared, "waitlist": _security_cleared}


def allowed_actions(application: Application, role: Role | str | None) -> list[str]:
    role = Role(role) if role else SYSTEM
    return [
        action for (status, action), (_to, roles) in TRANSITIONS.items()
        if status == application.status and role in roles
    ]


def transition(
    application: Application, action: str, actor, reason: str = "", *,
    version: int | None = None, decision=None, component: str | None = None,
) -> ApplicationEvent:
    """Check and make one move: record it, audit it, announce it. Flushes; the caller commits.

    `actor` is a User, or None when the portal itself acts. `version`, when given,
    is the version the actor saw: a different current version means the page was stale.
    A recruiter's select or reject needs `decision`, a Decision proposed by someone else;
    `component` (for select) defaults to the decision's, then the candidate's preference.
    What follows a move (its letter, the waitlist's ranks, a freed place offered to the
    next in line) is done by the receivers of signals.application_moved, sent last.
    """
    # One move at a time per application: a second one waits here, then sees the first
    # (the row is re-read), so a double click or two tabs cannot move it twice.
    lock(application)
    check_version(application, version)
    key = (Status(application.status), action)
    if key not in TRANSITIONS:
        raise TransitionError(_("This action is not possible in the application's current state."))
    to_status, roles = TRANSITIONS[key]
    role = Role(actor.role) if actor is not None else SYSTEM
    if role not in roles:
        raise TransitionError(_("You are not allowed to take this action."))
    if role == Role.CITIZEN and actor.id != application.user_id:
        raise TransitionError(_("You are not allowed to take this action."))
    if action in FOUR_EYES and actor is not None:
        _check_four_eyes(application, action, actor, decision)
        _check_security_ground(actor, decision)
    elif action == "select" and actor is None:
        decision = _confirmed_waitlisting(application)
    guard = GUARDS.get(action)
    problem = guard(application) if guard else None
    if problem:
        raise TransitionError(problem)
    if action == "select":
        component = component or getattr(decision, "component", None) or application.component
        quotas.check_place(application.intake, component)
        application.component = component
    from_status = application.status
    application.status = to_status
    application.version += 1
    application.status_changed_at = utcnow()
    _stamp(application, action, to_status)
    event = ApplicationEvent(
        application=application, action=action, from_status=from_status,
        to_status=to_status, actor_id=getattr(actor, "id", None), reason=reason,
    )
    db.session.add(event)
    audit.record(actor, f"application.{action}", application,
                 from_status=str(from_status), to_status=str(to_status), reason=reason,
                 **({"decision_id": decision.id} if decision is not None else {}))
    db.session.flush()
    application_moved.send(application, event=event, action=action,
                           from_status=Status(from_status), to_status=to_status,
                           actor=actor, decision=decision)
    return event


def is_stale(application: Application, seen) -> bool:
    """True when `seen`, the version a page or form showed, is not the current one.

    Every change to an application bumps its version, so a form from another tab, the
    back button or a slow colleague is recognised. None means: no version to check.
    """
    if seen is None:
        return False
    try:
        return int(seen) != application.version
    except (TypeError, ValueError):
        return True


def check_version(application: Application, version: int | None) -> None:
    """Refuse a move made from a stale page: `version` is the one the actor saw (None: no check)."""
    if is_stale(application, version):
        raise TransitionError(
            _("This application was changed by someone else meanwhile. Check it and try again.")
        )


def _check_four_eyes(application: Application, action: str, actor, decision) -> None:
    if (decision is None or decision.application_id != application.id
            or decision.action != action or not decision.is_open):
        raise TransitionError(_("A final decision must be proposed first and confirmed by a "
                                "second recruiter."))
    if decision.proposed_by_id == actor.id:
        raise TransitionError(_("A second recruiter must confirm this decision: you proposed it."))


def _check_security_ground(actor, decision) -> None:
    """Security officers refuse on the security ground only, and only they do."""
    security = getattr(decision, "reason_code", "") == SECURITY_REASON
    if security != (Role(actor.role) == SO):
        raise TransitionError(_("You are not allowed to take this action."))


def _confirmed_waitlisting(application: Application) -> Decision:
    """The two-person decision that put this candidate on the waitlist (the portal's
    offer of a freed place rests on it)."""
    decision = db.session.scalar(
        db.select(Decision).where(Decision.application_id == application.id,
                                  Decision.action == "waitlist",
                                  Decision.outcome == "confirmed")
        .order_by(Decision.id.desc()).limit(1))
    if decision is None or decision.resolved_by_id == decision.proposed_by_id:
        raise TransitionError(_("This candidate's place on the waitlist was not confirmed by "
                                "a second recruiter."))
    return decision


def _stamp(application: Application, action: str, to_status: Status) -> None:
    now = application.status_changed_at
    if to_status == S.SUBMITTED:
        application.submitted_at = now
    if action in DECIDING:
        application.decided_at = now
    if to_status == S.SELECTED:
        application.offer_deadline = clock.today() + timedelta(days=application.intake.offer_days)
    if to_status != S.WAITLISTED:
        application.waitlist_rank = None
