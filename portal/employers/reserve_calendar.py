"""The reserve's training calendar as the employers domain reads it: a period source
(periods.PeriodSource) over reserve assignments, periods and attendance, and the e-mail to
the HR users when the reserve announces (or cancels) a period of a reservist they employ.
Only dates, place, when the reservist was assigned and the days served leave the reserve."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from portal import clock, mail, outbox
from portal.accounts.models import User
from portal.employers import effects, terms
from portal.employers.models import Agreement, AgreementStatus, PeriodAnswer
from portal.employers.periods import PlannedPeriod
from portal.extensions import db
from portal.notifications import messages
from portal.reserve import training
from portal.reserve.models import (
    Assignment,
    AssignmentStatus,
    Engagement,
    EngagementStatus,
    TrainingPeriod,
)
from portal.reserve.signals import assignment_changed, call_up_sent

A = AssignmentStatus
# Assignments an employer is asked about: not cancelled, not yet served.
OPEN = (A.PLANNED, A.CONFIRMED, A.SWAP_REQUESTED)
PREFIX = "assignment:"


def _planned(assignment: Assignment) -> PlannedPeriod:
    period = assignment.period
    return PlannedPeriod(
        key=f"{PREFIX}{assignment.id}", reservist_id=assignment.user_id,
        starts_on=period.starts_on, ends_on=period.ends_on, place=period.place,
        announced_at=assignment.assigned_at,
        # Dates, the period's change counter and the assignment's time: a moved period or a
        # new assignment to it gives another revision (the reservist's own answers do not).
        revision=(f"{period.starts_on:%Y%m%d}-{period.ends_on:%Y%m%d}-{period.sequence}-"
                  f"{assignment.assigned_at:%Y%m%d%H%M%S}"))


class ReserveCalendar:
    def planned(self, reservist_ids, since: date) -> list[PlannedPeriod]:
        if not reservist_ids:
            return []
        rows = db.session.scalars(
            db.select(Assignment).join(TrainingPeriod)
            .where(Assignment.user_id.in_(list(reservist_ids)), Assignment.status.in_(OPEN),
                   TrainingPeriod.cancelled_at.is_(None), TrainingPeriod.ends_on >= since)
            .order_by(TrainingPeriod.starts_on))
        return [_planned(a) for a in rows]

    def period(self, key: str) -> PlannedPeriod | None:
        if not key.startswith(PREFIX) or not key[len(PREFIX):].isdigit():
            return None
        assignment = db.session.get(Assignment, int(key[len(PREFIX):]))
        if (assignment is None or assignment.status not in OPEN
                or assignment.period.cancelled_at is not None):
            return None
        return _planned(assignment)

    def served_days(self, reservist_ids, year: int) -> dict[int, int]:
        if not reservist_ids:
            return {}
        rows = db.session.execute(
            db.select(Assignment.user_id, func.coalesce(func.sum(Assignment.served_days), 0))
            .join(TrainingPeriod)
            .where(Assignment.user_id.in_(list(reservist_ids)), Assignment.status == A.SERVED,
                   TrainingPeriod.starts_on >= date(year, 1, 1),
                   TrainingPeriod.starts_on <= date(year, 12, 31))
            .group_by(Assignment.user_id))
        return {user_id: int(days) for user_id, days in rows}


# The HR users' messages of a period (notifications.messages, the table of messages).
ANNOUNCED = {action: messages.message("employer_period", action).subject
             for action in ("assign", "cancel")}


def on_assignment_changed(assignment: Assignment, *, action: str, actor) -> None:
    """Announce the period to the HR users of every enterprise with a signed agreement for
    this reservist (in the portal it shows at once; this is the e-mail)."""
    subject = ANNOUNCED.get(action)
    if subject is None:
        return
    agreements = db.session.scalars(db.select(Agreement).where(
        Agreement.reservist_id == assignment.user_id,
        Agreement.status == AgreementStatus.SIGNED)).all()
    if not agreements:
        return
    planned = _planned(assignment)
    reservist = db.session.get(User, assignment.user_id)
    for agreement in agreements:
        link = mail.external_url("employers_hr.agreement", agreement_id=agreement.id)
        for user in effects.answering_users(agreement):
            outbox.later(user.email, "period_announced", user.language, subject, user=user,
                         period=planned, action=action, reservist_name=reservist.full_name,
                         late=planned.notice_days() < agreement.terms.notice_days,
                         notice=agreement.terms.notice_days, link=link)


# TRANSLATORS: formal
CALL_UP_SUBJECT = _l("Your employee is called up by the Reserve")


def on_call_up_sent(row, **_kwargs) -> None:
    """Tell the HR users of every enterprise with a signed agreement for the reservist
    the call-up's kind and dates (nothing else of the call-up leaves the reserve), with what
    applies: the law on the reserve's status and the terms of the agreement they signed."""
    agreements = db.session.scalars(db.select(Agreement).where(
        Agreement.reservist_id == row.user_id,
        Agreement.status == AgreementStatus.SIGNED)).all()
    reservist = db.session.get(User, row.user_id)
    call_up = row.call_up
    lead = (call_up.starts_on - clock.today()).days
    for agreement in agreements:
        link = mail.external_url("employers_hr.agreement", agreement_id=agreement.id)
        signed = agreement.terms
        for user in effects.answering_users(agreement):
            outbox.later(user.email, "employer_call_up", user.language, CALL_UP_SUBJECT,
                         user=user, crisis=call_up.kind == "crisis",
                         starts_on=call_up.starts_on, ends_on=call_up.ends_on,
                         reservist_name=reservist.full_name, link=link,
                         signed_on=agreement.signed_at, notice=signed.notice_days,
                         days_per_year=signed.days_per_year,
                         rate=terms.euros(signed.compensation_cents),
                         public=agreement.employer.is_public,
                         late=lead < signed.notice_days and not agreement.employer.is_public)


# (signal, receiver), connected by the domain's contract (portal.domains).
SUBSCRIPTIONS = (
    (assignment_changed, on_assignment_changed),
    (call_up_sent, on_call_up_sent),
)


def answers_for_units_of(user) -> list[tuple]:
    """The employers' answers about periods of the units this user plans for, newest first:
    (answer, period as the unit has it)."""
    unit_ids = [unit.id for unit in training.units_of(user)]
    if not unit_ids:
        return []
    assignments = {f"{PREFIX}{a.id}": a for a in db.session.scalars(
        db.select(Assignment).join(TrainingPeriod)
        .where(TrainingPeriod.unit_id.in_(unit_ids)))}
    if not assignments:
        return []
    answers = db.session.scalars(db.select(PeriodAnswer).where(
        PeriodAnswer.period_key.in_(list(assignments)))
        .order_by(PeriodAnswer.answered_at.desc()))
    return [(answer, assignments[answer.period_key].period) for answer in answers]


# Engagements whose holder may name an employer: from the application on (the employer is
# asked while the application is decided), until it ends.
NAMES_EMPLOYER = (EngagementStatus.APPLIED, EngagementStatus.SCREENING,
                  EngagementStatus.APPROVED, EngagementStatus.ACTIVE)


def may_name_employer(user_id: int) -> bool:
    """Only a reservist (an engagement applied for or running) names an employer."""
    return db.session.scalar(db.select(Engagement.id).where(
        Engagement.user_id == user_id, Engagement.status.in_(NAMES_EMPLOYER)).limit(1)) is not None
