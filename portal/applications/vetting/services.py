"""The security screening's rules. Each function takes plain values and the actor, checks
the actor's role itself (for the CLI and jobs as much as for the views), audits and
flushes; the view commits. The refusal that follows a confirmed unfavourable outcome goes
through workflow.transition() like any other rejection (its letter, its appeal)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from portal import audit, csvsafe
from portal.accounts.models import User
from portal.applications.models import Application, Decision, Intake, Status
from portal.applications.signals import security_screening_changed
from portal.applications.vetting.models import (
    Outcome,
    SecurityScreening,
    State,
    latest,
)
from portal.applications.workflow import SECURITY_REASON, TRANSITIONS, check_version, transition
from portal.extensions import db
from portal.locking import lock
from portal.models import utcnow
from portal.paging import Numbered, fetch
from portal.refusals import Refusal
from portal.security import Role

S = Status
# A recruiter asks for the screening once the application is being checked, at the latest
# before the decision (selection and the waitlist need it favourable).
REQUESTABLE = (S.SCREENING, S.TESTS_SCHEDULED, S.TESTS_PASSED)
# An application that ends in these while its screening runs: the request is withdrawn.
ENDED = (S.REJECTED, S.WITHDRAWN, S.OFFER_DECLINED, S.LEFT)
NOTE_MAX = 2000


def _check_officer(actor) -> None:
    if actor is None or Role(actor.role) != Role.SECURITY_OFFICER:
        raise Refusal(_("Only security officers record the outcome of a security screening."))


def _check_requester(actor) -> None:
    if actor is None or Role(actor.role) not in (Role.RECRUITER, Role.ADMIN):
        raise Refusal(_("Only recruiters ask for a security screening."))


def _reference() -> str:
    return "VS-" + secrets.token_hex(5).upper()


# --- recruiters ---------------------------------------------------------------------------

def request(application: Application, actor, version: int | None) -> SecurityScreening:
    """Send the application to the vetting authority. A second request while one runs (a
    double click, two recruiters) returns the running one and changes nothing."""
    _check_requester(actor)
    lock(application)
    last = latest(application.id)
    if last is not None and last.is_open:
        return last
    check_version(application, version)
    if application.status not in REQUESTABLE:
        raise Refusal(_("A security screening can be asked for while the application is "
                        "checked or tested, before the decision."))
    if last is not None and last.outcome == Outcome.FAVOURABLE:
        raise Refusal(_("The security screening of this application is already favourable."))
    screening = SecurityScreening(application_id=application.id, reference=_reference(),
                                  requested_by_id=actor.id, requested_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(screening)
            db.session.flush()
    except IntegrityError:  # another recruiter's request won the unique index
        return latest(application.id)
    audit.record(actor, "security_screening.requested", application,
                 screening_id=screening.id, reference=screening.reference)
    security_screening_changed.send(application, stage="started", screening=screening,
                                    key=f"security-{screening.id}-started")
    return screening


@dataclass(frozen=True)
class Summary:
    """What recruiters see: where it stands, never the reasons or notes."""

    status: str  # a key of vocab.SECURITY_STATUS_LABELS
    reference: str = ""
    requested_at: datetime | None = None
    concluded_at: datetime | None = None
    can_request: bool = False


def summary(application: Application) -> Summary:
    last = latest(application.id)
    requestable = application.status in REQUESTABLE and (
        last is None or (not last.is_open and last.outcome != Outcome.FAVOURABLE))
    if last is None:
        return Summary("none", can_request=requestable)
    return Summary(str(last.state), last.reference, last.requested_at, last.concluded_at,
                   requestable)


def candidate_status(application: Application) -> str | None:
    """What the candidate sees: "in_progress", "done", or None (never screened)."""
    last = latest(application.id)
    if last is None:
        return None
    return "in_progress" if last.is_open else "done"


# --- security officers --------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    id: int
    reference: str
    application_reference: str
    name: str
    intake: str
    requested_at: datetime
    state: State
    recorded_by_id: int | None


@dataclass
class QueueFilters:
    """The officers' queue has no filter but its page."""

    page: int = 1

    def args(self, **changes) -> dict:
        values = {"page": self.page, **changes}
        return {k: v for k, v in values.items() if not (k == "page" and v == 1)}


@dataclass
class QueuePage(Numbered):
    filters: QueueFilters = field(default_factory=QueueFilters)


def queue(actor, f: QueueFilters, per_page: int) -> QueuePage:
    """One page of the open screenings, oldest request first."""
    _check_officer(actor)
    where = SecurityScreening.concluded_at.is_(None)
    found, total, number, pages = fetch(
        db.select(SecurityScreening, Application.reference, Application.first_name,
                  Application.last_name, Intake.name)
        .join(Application, Application.id == SecurityScreening.application_id)
        .join(Intake, Intake.id == Application.intake_id)
        .where(where).order_by(SecurityScreening.requested_at, SecurityScreening.id),
        db.select(db.func.count(SecurityScreening.id)).where(where), f.page, per_page)
    rows = [Row(s.id, s.reference, ref, f"{last} {first}".strip(), intake, s.requested_at,
                s.state, s.recorded_by_id) for s, ref, first, last, intake in found]
    return QueuePage(rows=rows, total=total, page=number, pages=pages, per_page=per_page,
                     filters=f, asked=f.page)


def screening_for(actor, screening_id: int) -> SecurityScreening | None:
    """A screening for a security officer, or None (the view answers 404)."""
    _check_officer(actor)
    return db.session.get(SecurityScreening, screening_id)


def read(actor, screening: SecurityScreening) -> None:
    """Audit a security officer's reading of a screening and its note."""
    _check_officer(actor)
    audit.record(actor, "security_screening.viewed", screening.application,
                 screening_id=screening.id)
    db.session.flush()


def record_outcome(screening: SecurityScreening, outcome: str, note: str, actor
                   ) -> SecurityScreening:
    """Record the vetting authority's outcome. Favourable or withdrawn is final at once; an
    unfavourable one waits for a second security officer (confirm_unfavourable)."""
    _check_officer(actor)
    lock(screening)
    if screening.state != State.REQUESTED:
        raise Refusal(_("The outcome of this security screening is already recorded."))
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise Refusal(_("Choose the outcome."), "outcome") from None
    note = (note or "").strip()
    if outcome == Outcome.UNFAVOURABLE and not note:
        raise Refusal(_("Give the vetting authority's reason for an unfavourable outcome."),
                      "note")
    if len(note) > NOTE_MAX:
        raise Refusal(_("Write at most %(num)d characters.", num=NOTE_MAX), "note")
    now = utcnow()
    screening.recorded_outcome, screening.recorded_by_id = outcome, actor.id
    screening.recorded_at, screening.note = now, note
    audit.record(actor, "security_screening.outcome_recorded", screening.application,
                 screening_id=screening.id, outcome=str(outcome))
    if outcome != Outcome.UNFAVOURABLE:
        _conclude(screening, outcome, now)
    db.session.flush()
    return screening


def confirm_unfavourable(screening: SecurityScreening, actor) -> SecurityScreening:
    """Second pair of eyes: another security officer confirms the unfavourable outcome.
    The application is then refused on the security ground, with the decision letter and
    the review it opens, like every rejection."""
    _check_officer(actor)
    lock(screening)
    if screening.state != State.AWAITING_CONFIRMATION:
        raise Refusal(_("There is no unfavourable outcome waiting for confirmation."))
    if screening.recorded_by_id == actor.id:
        raise Refusal(_("A second security officer must confirm this outcome: you recorded "
                        "it."))
    application = screening.application
    lock(application)
    screening.confirmed_by_id = actor.id
    _conclude(screening, Outcome.UNFAVOURABLE, utcnow())
    audit.record(actor, "security_screening.unfavourable_confirmed", application,
                 screening_id=screening.id, recorded_by=screening.recorded_by_id)
    db.session.flush()
    move = TRANSITIONS.get((Status(application.status), "reject"))
    if move is not None and Role.SECURITY_OFFICER in move[1]:
        _refuse(application, screening, actor)
    return screening


def send_back(screening: SecurityScreening, actor) -> SecurityScreening:
    """The second officer does not confirm (or the first takes it back): the outcome is
    recorded again, from the vetting authority's answer."""
    _check_officer(actor)
    lock(screening)
    if screening.state != State.AWAITING_CONFIRMATION:
        raise Refusal(_("There is no unfavourable outcome waiting for confirmation."))
    audit.record(actor, "security_screening.not_confirmed", screening.application,
                 screening_id=screening.id, recorded_by=screening.recorded_by_id)
    screening.recorded_outcome = screening.recorded_by_id = screening.recorded_at = None
    screening.note = ""
    db.session.flush()
    return screening


def _conclude(screening: SecurityScreening, outcome: Outcome, now: datetime) -> None:
    screening.outcome, screening.concluded_at = outcome, now
    db.session.flush()
    if outcome != Outcome.WITHDRAWN:
        security_screening_changed.send(screening.application, stage="done",
                                        screening=screening,
                                        key=f"security-{screening.id}-done")


def _refuse(application: Application, screening: SecurityScreening, actor) -> None:
    """The rejection on the security ground: a decision proposed by the officer who recorded
    the outcome and confirmed by the one who confirmed it. A recruiter's proposal still
    open is cancelled: it cannot stand."""
    open_ = db.session.scalar(db.select(Decision).where(
        Decision.application_id == application.id, Decision.resolved_at.is_(None)))
    now = utcnow()
    if open_ is not None:
        open_.resolved_at, open_.resolved_by_id, open_.outcome = now, actor.id, "cancelled"
        audit.record(actor, f"application.{open_.action}_cancelled", application,
                     decision_id=open_.id, why="security screening unfavourable")
        db.session.flush()
    decision = Decision(application_id=application.id, action="reject",
                        reason_code=SECURITY_REASON, note="",
                        application_version=application.version,
                        proposed_by_id=screening.recorded_by_id,
                        proposed_at=screening.recorded_at)
    db.session.add(decision)
    db.session.flush()
    transition(application, "reject", actor, SECURITY_REASON, decision=decision)
    decision.resolved_at, decision.resolved_by_id, decision.outcome = now, actor.id, "confirmed"
    audit.record(actor, "application.reject_confirmed", application, decision_id=decision.id,
                 proposed_by=decision.proposed_by_id)
    db.session.flush()


# --- what the application's end does to a running screening --------------------------------

def on_application_moved(application, *, to_status, actor=None, **_kw) -> None:
    """Receiver of application_moved: an application that ends (withdrawn, refused on
    another ground) withdraws its running request, so the vetting authority can stop."""
    if to_status not in ENDED:
        return
    last = latest(application.id)
    if last is None or not last.is_open:
        return
    last.outcome, last.concluded_at = Outcome.WITHDRAWN, utcnow()
    audit.record(actor, "security_screening.withdrawn", application, screening_id=last.id,
                 why=str(to_status))
    db.session.flush()


# --- the vetting authority's list ------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    reference: str
    application_reference: str
    last_name: str
    first_names: str
    birth_date: date | None
    national_number: str
    requested_at: datetime


CSV_HEADER = ("screening_reference", "application_reference", "last_name", "first_names",
              "birth_date", "national_register_number", "requested_at")


def pending_requests(actor) -> list[Request]:
    """The requests waiting for the vetting authority's outcome, oldest first, with what it
    needs to identify the person (the register's data when the portal holds them)."""
    _check_officer(actor)
    found = db.session.execute(
        db.select(SecurityScreening, Application, User)
        .join(Application, Application.id == SecurityScreening.application_id)
        .join(User, User.id == Application.user_id)
        .where(SecurityScreening.concluded_at.is_(None),
               SecurityScreening.recorded_outcome.is_(None))
        .order_by(SecurityScreening.requested_at, SecurityScreening.id)).all()
    requests = []
    for screening, application, user in found:
        person = user.person
        requests.append(Request(
            screening.reference, application.reference, application.last_name,
            person.first_names if person is not None else application.first_name,
            person.birth_date if person is not None else None,
            (person.national_number or "") if person is not None else "",
            screening.requested_at))
    audit.record(actor, "security_screening.requests_exported", None, count=len(requests))
    db.session.flush()
    return requests


def as_csv_rows(requests: list[Request]) -> list[list]:
    return [list(CSV_HEADER)] + [csvsafe.row([
        r.reference, r.application_reference, r.last_name, r.first_names,
        r.birth_date.isoformat() if r.birth_date else "", r.national_number,
        r.requested_at.isoformat(timespec="seconds")]) for r in requests]
