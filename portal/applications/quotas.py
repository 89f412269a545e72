"""Intake quotas: the one check that keeps selection within the intake's and a component's places.

workflow.transition() calls check_place() for every "select". The intake row is locked
first (SELECT ... FOR UPDATE on PostgreSQL; on SQLite a write to the row takes the
database's single writer lock), so two recruiters selecting at the same moment are
counted one after the other and the last place goes to only one of them.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func

from portal.applications.models import Application, Component, Intake, Status
from portal.applications.refusals import QuotaError
from portal.extensions import db
from portal.locking import lock_row

# Statuses that hold a place of the intake.
PLACE_HOLDING = (
    Status.SELECTED, Status.OFFER_ACCEPTED, Status.IN_SERVICE, Status.COMPLETED,
    Status.CAREER, Status.RESERVE,
)


@dataclass(frozen=True)
class Usage:
    component: str | None  # None: the intake as a whole
    quota: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.quota - self.taken, 0)


def lock_intake(intake: Intake) -> Intake:
    """Serialise quota decisions on this intake until the transaction ends."""
    return lock_row(Intake, intake.id)


def taken(intake: Intake) -> dict[str | None, int]:
    """Places held per component, and in total under the key None."""
    rows = db.session.execute(
        db.select(Application.component, func.count())
        .where(Application.intake_id == intake.id, Application.status.in_(PLACE_HOLDING))
        .group_by(Application.component)
    ).all()
    counts: dict[str | None, int] = {c: 0 for c in Component}
    for component, n in rows:
        counts[component] = counts.get(component, 0) + n
    counts[None] = sum(n for _c, n in rows)
    return counts


def usage(intake: Intake) -> list[Usage]:
    """The intake's quota use, overall first, then per component (for pages and letters)."""
    counts = taken(intake)
    result = [Usage(None, intake.quota_total, counts[None])]
    result += [Usage(str(c), intake.quota_for(c), counts.get(c, 0)) for c in Component]
    return result


def check_place(intake: Intake, component: str | None) -> None:
    """Raise QuotaError unless a place is free overall and in `component`. Locks the intake."""
    if component not in set(Component):
        raise QuotaError(_("Choose the component the candidate is selected for."))
    intake = lock_intake(intake)
    counts = taken(intake)
    if counts[None] >= intake.quota_total:
        raise QuotaError(_("The intake's quota of %(quota)d places is reached.",
                           quota=intake.quota_total))
    if counts.get(component, 0) >= intake.quota_for(component):
        raise QuotaError(_("The quota of %(quota)d places for this component is reached.",
                           quota=intake.quota_for(component)))
