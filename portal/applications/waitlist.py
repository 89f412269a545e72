"""The waitlist: ranked by score, and moved up when a place is freed or an offer expires."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_

from portal import audit, clock
from portal.applications.models import Application, Intake, Status
from portal.applications.workflow import SYSTEM, TransitionError, transition
from portal.extensions import db


def _order():
    # Best score first; without a score last; ties: who submitted first.
    return (Application.score.is_(None), Application.score.desc(),
            Application.submitted_at, Application.id)


def _component_clause(component: str | None):
    if component is None:
        return Application.component.is_(None)
    return Application.component == component


def rerank(intake_id: int, component: str | None) -> None:
    """Number the waitlisted applications of one intake and component 1, 2, 3... Flushes."""
    waiting = db.session.scalars(
        db.select(Application)
        .where(Application.intake_id == intake_id, Application.status == Status.WAITLISTED,
               _component_clause(component))
        .order_by(*_order())
    ).all()
    for rank, application in enumerate(waiting, start=1):
        application.waitlist_rank = rank
    db.session.flush()


def next_in_line(intake: Intake, component: str | None) -> Application | None:
    return db.session.scalars(
        db.select(Application)
        .where(and_(Application.intake_id == intake.id, Application.status == Status.WAITLISTED,
                    _component_clause(component)))
        .order_by(*_order()).limit(1)
    ).first()


def on_place_freed(intake: Intake, component: str | None, actor=None) -> Application | None:
    """Offer a freed place to the best-ranked waitlisted candidate of that component.

    The portal itself selects (no four eyes: the ranking decided); the selection sets a
    new offer deadline and issues the decision letter. Returns the candidate offered
    the place, or None when nobody waits or no place is free after all. `actor` is who
    freed the place (a candidate declining, a recruiter), kept in the audit log.
    """
    candidate = next_in_line(intake, component)
    if candidate is None:
        return None
    try:
        transition(candidate, "select", SYSTEM, "waitlist: place freed", component=component)
    except TransitionError:
        return None
    audit.record(actor, "waitlist.place_offered", candidate, component=component)
    return candidate


def expire_offers(today: date | None = None) -> list[Application]:
    """Decline every offer whose deadline has passed (each place then goes to the waitlist,
    see effects.offer_freed_place). Flushes.

    For the `flask applications expire-offers` command and a daily scheduled job.
    """
    today = today or clock.today()
    expired = db.session.scalars(
        db.select(Application)
        .where(Application.status == Status.SELECTED, Application.offer_deadline < today)
        .order_by(Application.offer_deadline, Application.id)
    ).all()
    for application in expired:
        transition(application, "expire_offer", SYSTEM, "offer deadline passed")
    return expired
