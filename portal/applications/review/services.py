"""Recruiter actions on applications: screening, convocations, test results, decisions.

Each function takes plain values and the acting user, checks, changes, audits and
flushes; the view commits. Moves of the life cycle all go through workflow.transition().
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from portal import audit, clock
from portal.applications.intakes.booking import SELECTION_DAY_PLACES
from portal.applications.intakes.models import SelectionDay
from portal.applications.models import (
    Application,
    Component,
    Convocation,
    Decision,
    ResultKind,
    Status,
    TestResult,
)
from portal.applications.selection import check_day_reached, results_by_kind
from portal.applications.vocab import RECRUITER_REJECTION_REASONS, selection_day_reason
from portal.applications.workflow import (
    GUARDS,
    TRANSITIONS,
    TransitionError,
    check_version,
    transition,
)
from portal.extensions import db
from portal.locking import lock
from portal.models import utcnow
from portal.refusals import Refusal
from portal.security import Role


def start_screening(application: Application, actor, version: int | None) -> None:
    transition(application, "start_screening", actor, version=version)


# --- selection days and convocations ---------------------------------------------------

def schedule_tests(application: Application, selection_day: SelectionDay, actor,
                   version: int | None) -> Convocation:
    """Convoke the candidate to a selection day (within its capacity); the letter follows."""
    check_version(application, version)
    if selection_day.intake_id != application.intake_id:
        raise Refusal(_("This selection day belongs to another intake."), "selection_day")
    if selection_day.day < clock.today():
        raise Refusal(_("This selection day has already passed."), "selection_day")
    SELECTION_DAY_PLACES.lock(selection_day.id)
    if SELECTION_DAY_PLACES.left(selection_day) <= 0:
        raise Refusal(_("This selection day is full. Choose another day."), "selection_day")
    existing = db.session.scalar(
        db.select(Convocation).where(Convocation.application_id == application.id))
    if existing is not None:  # convoked before, e.g. screened again: move to the new day
        existing.selection_day = selection_day
        existing.assigned_by_id = actor.id
        existing.at = utcnow()
        convocation = existing
    else:
        convocation = Convocation(application_id=application.id, selection_day=selection_day,
                                  assigned_by_id=actor.id)
        db.session.add(convocation)
    db.session.flush()
    transition(application, "schedule_tests", actor,
               selection_day_reason(selection_day.day), version=version)
    return convocation


# --- test results ------------------------------------------------------------------------

def record_result(application: Application, kind: str, passed: bool, score: Decimal, actor,
                  version: int | None) -> TestResult:
    """Record (or correct) one test's result; the application's score is the mean."""
    kind = ResultKind(kind)
    if kind == ResultKind.MEDICAL:
        # Medical staff record it, with their reason, in applications/medical/.
        raise Refusal(_("Only medical staff record the medical test."), "kind")
    lock(application)
    check_version(application, version)
    if application.status != Status.TESTS_SCHEDULED:
        raise TransitionError(_("Test results can only be recorded while tests are scheduled."))
    check_day_reached(application)
    result = results_by_kind(application).get(kind)
    previous = None
    if result is None:
        result = TestResult(application_id=application.id, kind=kind, passed=passed,
                            score=score, recorded_by_id=actor.id)
        db.session.add(result)
    else:
        previous = {"passed": result.passed, "score": str(result.score)}
        result.passed, result.score, result.recorded_by_id = passed, score, actor.id
    db.session.flush()
    application.score = mean_score(application)
    application.version += 1
    audit.record(actor, "application.test_result_recorded", application, kind=str(kind),
                 passed=passed, score=str(score), previous=previous)
    db.session.flush()
    return result


def mean_score(application: Application) -> Decimal | None:
    """The mean of the scored tests (the medical test is fit or unfit, without a score)."""
    scores = [Decimal(r.score) for r in results_by_kind(application).values()
              if r.score is not None]
    if not scores:
        return None
    return (sum(scores) / len(scores)).quantize(Decimal("0.01"))


def conclude_tests(application: Application, actor, version: int | None) -> None:
    """Pass when all four tests passed, fail when one failed (the guards in workflow check)."""
    results = results_by_kind(application)
    action = "fail_tests" if any(not r.passed for r in results.values()) else "pass_tests"
    transition(application, action, actor, version=version)


# --- waitlist and four-eyes decisions ------------------------------------------------------

def put_on_waitlist(application: Application, actor, version: int | None) -> Decision:
    """Propose the waitlist: a decision like a selection, confirmed by a second recruiter."""
    return propose(application, "waitlist", actor, version=version)


def open_decision(application: Application) -> Decision | None:
    return db.session.scalar(
        db.select(Decision).where(Decision.application_id == application.id,
                                  Decision.resolved_at.is_(None)))


def propose(application: Application, action: str, actor, *, version: int | None,
            component: str | None = None, reason_code: str = "", note: str = "") -> Decision:
    """First pair of eyes: propose to select, waitlist or reject; another recruiter confirms."""
    check_version(application, version)
    if action not in ("select", "reject", "waitlist"):
        raise TransitionError(_("This action is not possible in the application's current state."))
    move = TRANSITIONS.get((Status(application.status), action))
    if move is None or Role(actor.role) not in move[1]:
        raise TransitionError(_("This action is not possible in the application's current state."))
    if open_decision(application) is not None:
        raise TransitionError(_("A decision is already waiting for confirmation."))
    guard = GUARDS.get(action)  # what would stop the move stops the proposal already
    problem = guard(application) if guard else None
    if problem:
        raise TransitionError(problem)
    if action == "select" and component not in set(Component):
        raise TransitionError(_("Choose the component the candidate is selected for."))
    if action == "reject" and reason_code not in RECRUITER_REJECTION_REASONS:
        raise TransitionError(_("Choose the reason for the rejection."))
    decision = Decision(
        application_id=application.id, action=action,
        component=component if action == "select" else None,
        reason_code=reason_code if action == "reject" else "", note=note.strip(),
        application_version=application.version, proposed_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(decision)
            db.session.flush()
    except IntegrityError as exc:  # another recruiter's proposal won the unique index
        raise TransitionError(_("A decision is already waiting for confirmation.")) from exc
    audit.record(actor, f"application.{action}_proposed", application, decision_id=decision.id,
                 component=decision.component, reason_code=decision.reason_code)
    return decision


def confirm(decision: Decision, actor, version: int | None) -> None:
    """Second pair of eyes: a different recruiter confirms; the move (and letter) follows."""
    application = decision.application
    if not decision.is_open:
        raise TransitionError(_("This decision was already confirmed or cancelled."))
    check_version(application, version)
    if decision.application_version != application.version:
        raise TransitionError(_("The application changed after this decision was proposed. "
                                "Cancel it and propose again."))
    reason = decision.reason_code or ""
    if decision.note:
        reason = f"{reason}: {decision.note}" if reason else decision.note
    transition(application, decision.action, actor, reason, version=version, decision=decision)
    decision.resolved_at, decision.resolved_by_id = utcnow(), actor.id
    decision.outcome = "confirmed"
    audit.record(actor, f"application.{decision.action}_confirmed", application,
                 decision_id=decision.id, proposed_by=decision.proposed_by_id)
    db.session.flush()


def cancel(decision: Decision, actor) -> None:
    if not decision.is_open:
        raise TransitionError(_("This decision was already confirmed or cancelled."))
    decision.resolved_at, decision.resolved_by_id = utcnow(), actor.id
    decision.outcome = "cancelled"
    audit.record(actor, f"application.{decision.action}_cancelled", decision.application,
                 decision_id=decision.id)
    db.session.flush()
