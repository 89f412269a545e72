"""Training periods as the employer sees them, and the employer's answers.

The employers domain does not read the reserve's tables itself: it asks a *period source*
for the planned periods of its reservists (dates, place, when announced) and for the days
they served. `use_source()` installs the source; the reserve domain's adapter is installed
by the domain's set-up (EMPLOYER_PERIOD_SOURCE). Without one, no period is planned.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from portal import audit, clock, mail, outbox
from portal.accounts.models import User
from portal.employers import signals
from portal.employers.members import may_answer
from portal.employers.models import Agreement, AgreementStatus, PeriodAnswer
from portal.extensions import db
from portal.locking import lock_row
from portal.models import utcnow
from portal.notifications import messages
from portal.refusals import Refusal

CONFIRMED, DECLINED = "confirmed", "declined"


@dataclass(frozen=True)
class PlannedPeriod:
    """One planned training period of one reservist: only what an employer may see."""

    key: str            # stable identity of the reservist's assignment, e.g. "assignment:42"
    reservist_id: int
    starts_on: date
    ends_on: date
    place: str
    announced_at: datetime
    revision: str       # changes whenever dates or place change

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def notice_days(self) -> int:
        return (self.starts_on - self.announced_at.date()).days


class PeriodSource(Protocol):
    def planned(self, reservist_ids: list[int], since: date) -> list[PlannedPeriod]:
        """Planned (not cancelled) periods of these reservists ending on or after `since`."""

    def period(self, key: str) -> PlannedPeriod | None:
        """One period as it is now; None when cancelled or unknown."""

    def served_days(self, reservist_ids: list[int], year: int) -> dict[int, int]:
        """Days each reservist served in the year, from attendance."""


class NoPeriods:
    """Until the reserve's training calendar is installed: nothing planned, nothing served."""

    def planned(self, reservist_ids, since):
        return []

    def period(self, key):
        return None

    def served_days(self, reservist_ids, year):
        return {}


_source: PeriodSource = NoPeriods()


def use_source(source: PeriodSource) -> PeriodSource:
    """Install the period source; returns the previous one."""
    global _source
    previous, _source = _source, source
    return previous


def source() -> PeriodSource:
    return _source


@dataclass(frozen=True)
class PeriodRow:
    period: PlannedPeriod
    answer: PeriodAnswer | None
    late: bool

    @property
    def moved(self) -> bool:
        return self.answer is not None and self.answer.revision != self.period.revision


def for_agreement(agreement: Agreement, since: date | None = None) -> list[PeriodRow]:
    since = since or date(clock.today().year, 1, 1)
    answers = {a.period_key: a for a in db.session.scalars(
        db.select(PeriodAnswer).where(PeriodAnswer.agreement_id == agreement.id))}
    notice = agreement.terms.notice_days
    return [PeriodRow(p, answers.get(p.key), p.notice_days() < notice)
            for p in sorted(_source.planned([agreement.reservist_id], since),
                            key=lambda p: p.starts_on)]


def confirmed_days(agreement: Agreement, year: int, *, besides: str | None = None) -> int:
    rows = db.session.scalars(db.select(PeriodAnswer).where(
        PeriodAnswer.agreement_id == agreement.id, PeriodAnswer.answer == CONFIRMED,
        PeriodAnswer.period_key != (besides or "")))
    return sum(a.days for a in rows if a.starts_on.year == year)


SUBJECT = messages.message("period_answer", "answer").subject


def answer(actor: User, agreement: Agreement, key: str, *, revision: str, confirm: bool,
           reason: str = "", proposed_date: date | None = None) -> PeriodAnswer:
    """The employer confirms or declines one period, as they saw it (`revision`)."""
    agreement = lock_row(Agreement, agreement.id)
    if not may_answer(actor, agreement):
        raise Refusal(_("You are not allowed to take this action."))
    if agreement.status != AgreementStatus.SIGNED:
        raise Refusal(_("Periods can be answered only under a signed agreement."))
    period = _source.period(key)
    if period is None or period.reservist_id != agreement.reservist_id:
        raise Refusal(_("This training period was cancelled meanwhile."))
    if period.revision != revision:
        raise Refusal(_("This training period was moved meanwhile: it now runs from %(start)s "
                        "to %(end)s. Check the new dates and answer again.",
                        start=_date(period.starts_on), end=_date(period.ends_on)))
    reason = (reason or "").strip()
    if confirm:
        allowed = agreement.terms.days_per_year
        total = confirmed_days(agreement, period.starts_on.year, besides=key) + period.days
        if total > allowed:
            raise Refusal(_("Confirming this period would bring the year to %(total)d days: "
                            "the agreement releases the reservist for %(allowed)d days a year. "
                            "Decline it and propose another date, or contact the unit.",
                            total=total, allowed=allowed))
    else:
        if not reason:
            raise Refusal(_("Give a reason."), "reason")
        if proposed_date is not None and proposed_date <= clock.today():
            raise Refusal(_("Propose a date in the future."), "proposed_date")
    values = {
        "revision": period.revision, "answer": CONFIRMED if confirm else DECLINED,
        "starts_on": period.starts_on, "ends_on": period.ends_on, "days": period.days,
        "late": period.notice_days() < agreement.terms.notice_days,
        "reason": "" if confirm else reason,
        "proposed_date": None if confirm else proposed_date,
        "answered_by_id": actor.id, "answered_at": utcnow(),
    }
    row = db.session.scalar(db.select(PeriodAnswer).where(
        PeriodAnswer.agreement_id == agreement.id, PeriodAnswer.period_key == key))
    if row is None:
        row = PeriodAnswer(agreement_id=agreement.id, period_key=key, **values)
        db.session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    db.session.flush()
    audit.record(actor, f"period.{row.answer}", agreement, period=key, reason=row.reason,
                 proposed_date=row.proposed_date)
    signals.period_answered.send(row, actor=actor)
    return row


def _date(day: date) -> str:
    return format_date(day, "long")


def on_period_answered(row: PeriodAnswer, *, actor) -> None:
    reservist = db.session.get(User, row.agreement.reservist_id)
    outbox.later(reservist.email, "period_answered", reservist.language, SUBJECT,
                 user=reservist, row=row, employer=row.agreement.employer,
                 link=mail.external_url("employers_reservist.index"))


def answers_for_reservist(user_id: int) -> list[PeriodAnswer]:
    return list(db.session.scalars(
        db.select(PeriodAnswer).join(Agreement).where(Agreement.reservist_id == user_id)
        .order_by(PeriodAnswer.starts_on)))


def answers_newest_first():
    """Every answer about a training period, the newest first, with its agreement's
    enterprise and reservist (a statement, for a list to page through)."""
    return (db.select(PeriodAnswer)
            .options(joinedload(PeriodAnswer.agreement).joinedload(Agreement.employer),
                     joinedload(PeriodAnswer.agreement).joinedload(Agreement.reservist))
            .order_by(PeriodAnswer.answered_at.desc(), PeriodAnswer.id.desc()))


# (signal, receiver), connected by the domain's contract (portal.domains).
SUBSCRIPTIONS = ((signals.period_answered, on_period_answered),)
