"""The recruiter queue of an intake: filters, search, sort, pages and the decision clock.

A page costs a fixed number of statements whatever its size: one count, one page of
denormalised application columns, one for open decisions on that page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import aliased

from portal import clock, regions
from portal.applications.models import Application, Decision, Intake, Status
from portal.applications.vetting.models import Outcome, SecurityScreening
from portal.applications.workflow import UNDECIDED
from portal.extensions import db
from portal.models import utcnow
from portal.paging import Numbered, asked_page, fetch

PER_PAGE = 50
# What a reference looks like (DJ-2027-000123): searched on its own, by its unique index.
REFERENCE = re.compile(r"^[A-Za-z]{2,3}-[0-9][0-9-]*$")
SORTS = {
    "submitted": (Application.submitted_at, Application.id),
    "-submitted": (Application.submitted_at.desc(), Application.id.desc()),
    "name": (Application.last_name, Application.first_name, Application.id),
    "-score": (Application.score.is_(None), Application.score.desc(), Application.id),
    "changed": (Application.status_changed_at, Application.id),
}
# Columns the queue shows: the page never loads answers or other large fields.
COLUMNS = (
    Application.id, Application.reference, Application.first_name, Application.last_name,
    Application.status, Application.component, Application.language, Application.province,
    Application.score, Application.waitlist_rank, Application.submitted_at,
    Application.status_changed_at, Application.offer_deadline, Application.version,
)


# Where the security screening stands: not asked for, running (an unfavourable outcome not
# yet confirmed reads as running), or ended favourably or unfavourably.
SECURITY = ("none", "requested", "favourable", "unfavourable")


@dataclass
class Filters:
    status: str = ""
    security: str = ""
    component: str = ""
    language: str = ""
    province: str = ""
    flagged: bool = False
    q: str = ""
    sort: str = "submitted"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> Filters:
        sort = args.get("sort", "submitted")
        status = args.get("status", "")
        return cls(
            status=status if status in set(Status) and status != Status.DRAFT else "",
            security=args.get("security", "") if args.get("security", "") in SECURITY else "",
            component=args.get("component", "")[:10],
            language=args.get("language", "")[:2], province=args.get("province", "")[:20],
            flagged=args.get("flagged") in ("1", "on", "y"), q=args.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "submitted", page=asked_page(args),
        )

    def args(self, **changes) -> dict:
        values = {"status": self.status, "security": self.security,
                  "component": self.component, "language": self.language,
                  "province": self.province, "flagged": "1" if self.flagged else "",
                  "q": self.q, "sort": self.sort, "page": self.page}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None, 1) or k == "sort"}


@dataclass
class Row:
    id: int
    reference: str
    name: str
    status: str
    component: str | None
    language: str
    province: str
    score: object
    waitlist_rank: int | None
    submitted_at: datetime | None
    flagged: bool
    days_left: int | None  # until flagged (undecided) or until the offer deadline
    pending: str | None  # action of an open four-eyes decision


@dataclass
class Page(Numbered):
    """A page of rows (Row)."""

    filters: Filters = field(default_factory=Filters)


def flag_cutoff(intake: Intake, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=intake.flag_after_days)


def flagged_clause(intake: Intake, today: date | None = None):
    """Undecided past flag_after_days, or an offer unanswered on or past its deadline."""
    today = today or clock.today()
    return or_(
        and_(Application.status.in_(UNDECIDED),
             Application.status_changed_at < flag_cutoff(intake)),
        and_(Application.status == Status.SELECTED, Application.offer_deadline <= today),
    )


def days_left(intake: Intake, status: str, changed_at: datetime | None,
              offer_deadline: date | None, today: date | None = None) -> int | None:
    """The countdown a recruiter sees: days before the application or offer is overdue."""
    today = today or clock.today()
    if status == Status.SELECTED and offer_deadline:
        return (offer_deadline - today).days
    if status in UNDECIDED and changed_at:
        return (changed_at.date() + timedelta(days=intake.flag_after_days) - today).days
    return None


def conditions(intake: Intake, f: Filters) -> list:
    where = [Application.intake_id == intake.id]
    # Equality on status lets the (intake, status, ...) indexes serve the count.
    where.append(Application.status == f.status if f.status else
                 Application.status.in_([s for s in Status if s != Status.DRAFT]))
    if f.component:
        where.append(Application.component == f.component)
    if f.language:
        where.append(Application.language == f.language)
    if f.province:
        where.append(Application.province == f.province)
    if f.security:
        where.append(_security_clause(f.security))
    if f.flagged:
        where.append(flagged_clause(intake))
    if f.q and REFERENCE.match(f.q):
        where.append(Application.reference == f.q.upper())  # the unique index answers
    elif f.q:
        term = f.q.lower()
        where.append(or_(
            func.lower(Application.last_name).startswith(term, autoescape=True),
            func.lower(Application.first_name).startswith(term, autoescape=True),
            func.lower(Application.first_name + " " + Application.last_name)
            .startswith(term, autoescape=True),
        ))
    return where


def _security_clause(security: str):
    """Where the application's latest screening stands (an older outcome, followed by a new
    request, no longer counts)."""
    screened = SecurityScreening.application_id == Application.id
    if security == "none":
        return ~exists().where(screened)
    if security == "requested":
        return exists().where(screened, SecurityScreening.concluded_at.is_(None))
    later = aliased(SecurityScreening)
    latest = ~exists().where(later.application_id == SecurityScreening.application_id,
                             later.id > SecurityScreening.id)
    return exists().where(screened, SecurityScreening.outcome == Outcome(security), latest)


def page(intake: Intake, f: Filters, per_page: int = PER_PAGE) -> Page:
    where = conditions(intake, f)
    found, total, number, pages = fetch(
        db.select(*COLUMNS).where(*where).order_by(*SORTS[f.sort]),
        db.select(func.count(Application.id)).where(*where), f.page, per_page)
    ids = [r.id for r in found]
    pending = dict(db.session.execute(
        db.select(Decision.application_id, Decision.action)
        .where(Decision.application_id.in_(ids), Decision.resolved_at.is_(None))
    ).all()) if ids else {}
    today = clock.today()
    cutoff = flag_cutoff(intake)
    rows = []
    for r in found:
        flagged = ((r.status in UNDECIDED and r.status_changed_at < cutoff)
                   or (r.status == Status.SELECTED and r.offer_deadline is not None
                       and r.offer_deadline <= today))
        rows.append(Row(
            id=r.id, reference=r.reference, name=f"{r.last_name} {r.first_name}".strip(),
            status=r.status, component=r.component, language=r.language, province=r.province,
            score=r.score, waitlist_rank=r.waitlist_rank, submitted_at=r.submitted_at,
            flagged=flagged,
            days_left=days_left(intake, r.status, r.status_changed_at, r.offer_deadline, today),
            pending=pending.get(r.id),
        ))
    return Page(rows=rows, total=total, page=number, pages=pages, per_page=per_page,
                filters=f, asked=f.page)


def flagged_count(intake: Intake) -> int:
    """Both halves of flagged_clause counted apart, each served by an index."""
    undecided = db.select(func.count(Application.id)).where(
        Application.intake_id == intake.id, Application.status.in_(UNDECIDED),
        Application.status_changed_at < flag_cutoff(intake)).scalar_subquery()
    offers = db.select(func.count(Application.id)).where(
        Application.intake_id == intake.id, Application.status == Status.SELECTED,
        Application.offer_deadline <= clock.today()).scalar_subquery()
    return db.session.scalar(db.select(undecided + offers))


def provinces() -> list[tuple[str, str]]:
    """(NIS code, name in the reader's language) of every province, by name."""
    return sorted(((code, str(name)) for code, name in regions.PROVINCES.items()),
                  key=lambda pair: pair[1])
