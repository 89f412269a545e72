"""The application life cycle, declared on the portal's life-cycle core: the table of
allowed moves, their guards and the decisions two people take.

transition() checks a move, makes it, records and audits it, then announces it with
signals.application_moved; it knows none of what follows (see effects.py).
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock
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
from portal.lifecycle import SYSTEM, FourEyes, LifeCycle, citizen_owns
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


def _confirmed_waitlisting(application: Application) -> Decision | None:
    """The two-person decision that put this candidate on the waitlist (the portal's
    offer of a freed place rests on it)."""
    return db.session.scalar(
        db.select(Decision).where(Decision.application_id == application.id,
                                  Decision.action == "waitlist",
                                  Decision.outcome == "confirmed")
        .order_by(Decision.id.desc()).limit(1))


def _proposes(application: Application, action: str, decision) -> bool:
    return (decision.application_id == application.id and decision.action == action
            and decision.is_open)


def _may_confirm(actor, decision) -> bool:
    """Security officers refuse on the security ground only, and only they do."""
    security = getattr(decision, "reason_code", "") == SECURITY_REASON
    return security == (Role(actor.role) == SO)


_PROPOSED_BY_ANOTHER = {
    "proposes": _proposes, "may_confirm": _may_confirm,
    "missing": _l("A final decision must be proposed first and confirmed by a second "
                  "recruiter."),
    "same_person": _l("A second recruiter must confirm this decision: you proposed it."),
}
# Selections, rejections and waitlistings are decisions: one recruiter proposes them, a
# different one confirms (a Decision). The portal's own move, offering a freed place to the
# first on the waitlist, needs the confirmed waitlisting of that candidate: every path to
# selected or rejected carries a decision confirmed by two people.
FOUR_EYES = {
    "select": FourEyes(**_PROPOSED_BY_ANOTHER, standing=_confirmed_waitlisting,
                       unconfirmed=_l("This candidate's place on the waitlist was not "
                                      "confirmed by a second recruiter.")),
    "reject": FourEyes(**_PROPOSED_BY_ANOTHER),
    "waitlist": FourEyes(**_PROPOSED_BY_ANOTHER),
}


def _place_in_quota(application: Application, action: str, decision, *,
                    component: str | None = None) -> None:
    """A selection takes a place of the intake's quota, overall and for its component:
    `component` when given, else the decision's, else the candidate's preference."""
    if action == "select":
        component = component or getattr(decision, "component", None) or application.component
        quotas.check_place(application.intake, component)
        application.component = component


def _stamp(application: Application, action: str, _reason: str) -> None:
    now = application.status_changed_at
    if application.status == S.SUBMITTED:
        application.submitted_at = now
    if action in DECIDING:
        application.decided_at = now
    if application.status == S.SELECTED:
        application.offer_deadline = clock.today() + timedelta(days=application.intake.offer_days)
    if application.status != S.WAITLISTED:
        application.waitlist_rank = None


APPLICATIONS = LifeCycle(
    model=Application, event=ApplicationEvent, states=Status,
    transitions=TRANSITIONS, guards=GUARDS, four_eyes=FOUR_EYES,
    may_act=citizen_owns("user_id"), prepare=_place_in_quota, stamp=_stamp,
    signal=application_moved, audit_prefix="application", refusal=TransitionError,
    not_possible=_l("This action is not possible in the application's current state."),
    stale=_l("This application was changed by someone else meanwhile. Check it and try again."),
)

# A move: transition(application, action, actor, reason="", *, version=None, decision=None,
# component=None) -> ApplicationEvent. A recruiter's select, waitlist or reject needs
# `decision`, proposed by someone else; `component` (select) defaults to the decision's,
# then the candidate's preference. What follows a move (its letter, the waitlist's ranks, a
# freed place offered to the next in line) is done by the receivers of
# signals.application_moved.
transition = APPLICATIONS.move
allowed_actions = APPLICATIONS.allowed_actions
check_version = APPLICATIONS.check_version
