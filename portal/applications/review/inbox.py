"""The staff's two queues of what candidates asked: review requests of decisions and
message threads waiting for an answer, oldest first, in numbered pages (paging.Numbered).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from portal.applications.conversation import last_ids
from portal.applications.models import (
    Application,
    ApplicationMessage,
    Intake,
    ReviewRequest,
)
from portal.paging import Numbered, asked_page, fetch
from portal.reserve.models import Engagement

KINDS = ("reviews", "messages")


@dataclass
class Filters:
    kind: str = "reviews"
    intake: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args, kind: str) -> Filters:
        intake = args.get("intake", "")
        return cls(kind=kind, page=asked_page(args),
                   intake=int(intake) if intake.isascii() and intake.isdigit()
                   and len(intake) <= 9 else None)

    def args(self, **changes) -> dict:
        values = {"intake": self.intake, "page": self.page, **changes}
        defaults = {"intake": None, "page": 1}
        return {k: v for k, v in values.items() if v != defaults[k]}


@dataclass(frozen=True)
class Row:
    application_id: int  # the engagement's id for a request about the Reserve
    reference: str
    name: str
    intake: str
    since: datetime
    what: str  # the contested status of a review request; "" for a message
    reserve: bool = False  # a request about an application to the Reserve


@dataclass
class Page(Numbered):
    filters: Filters = field(default_factory=Filters)


COLUMNS = (Application.id, Application.reference, Application.first_name,
           Application.last_name, Intake.name.label("intake_name"))


def _query(kind: str):
    """(count statement, rows statement) of the queue of `kind`."""
    if kind == "reviews":
        # A request is about an application, or about an application to the Reserve.
        base = (select(
                    ReviewRequest.id.label("request_id"), ReviewRequest.engagement_id,
                    func.coalesce(Application.id, Engagement.id).label("id"),
                    func.coalesce(Application.reference, Engagement.reference)
                    .label("reference"),
                    func.coalesce(Application.first_name, Engagement.first_name)
                    .label("first_name"),
                    func.coalesce(Application.last_name, Engagement.last_name)
                    .label("last_name"),
                    Intake.name.label("intake_name"),
                    ReviewRequest.created_at.label("since"),
                    ReviewRequest.contested.label("what"))
                .outerjoin(Application, Application.id == ReviewRequest.application_id)
                .outerjoin(Intake, Intake.id == Application.intake_id)
                .outerjoin(Engagement, Engagement.id == ReviewRequest.engagement_id)
                .where(ReviewRequest.answered_at.is_(None)))
        count = (select(func.count(ReviewRequest.id))
                 .outerjoin(Application, Application.id == ReviewRequest.application_id)
                 .where(ReviewRequest.answered_at.is_(None)))
        return count, base.order_by(ReviewRequest.created_at, ReviewRequest.id)
    last = last_ids()
    base = (select(*COLUMNS, ApplicationMessage.created_at.label("since"))
            .select_from(ApplicationMessage)
            .join(last, last.c.last_id == ApplicationMessage.id)
            .join(Application, Application.id == ApplicationMessage.application_id)
            .join(Intake, Intake.id == Application.intake_id)
            .where(ApplicationMessage.from_staff.is_(False)))
    count = (select(func.count()).select_from(ApplicationMessage)
             .join(last, last.c.last_id == ApplicationMessage.id)
             .join(Application, Application.id == ApplicationMessage.application_id)
             .where(ApplicationMessage.from_staff.is_(False)))
    return count, base.order_by(ApplicationMessage.created_at, ApplicationMessage.id)


def page(f: Filters, per_page: int) -> Page:
    """One page of the queue of `f.kind`; the caller checks the reader is staff."""
    count, rows = _query(f.kind)
    if f.intake is not None:
        count = count.where(Application.intake_id == f.intake)
        rows = rows.where(Application.intake_id == f.intake)
    found, total, number, pages = fetch(rows, count, f.page, per_page)
    return Page(rows=[Row(application_id=r.id, reference=r.reference,
                          name=f"{r.last_name} {r.first_name}".strip(), intake=r.intake_name or "",
                          since=r.since, what=getattr(r, "what", "") or "",
                          reserve=getattr(r, "engagement_id", None) is not None)
                      for r in found],
                total=total, page=number, pages=pages, per_page=per_page, filters=f,
                asked=f.page)
