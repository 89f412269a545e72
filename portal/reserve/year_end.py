"""The end of the service year: the question career / reserve / leaving, its deadline,
reminders, and the recruiters' career queue.

The question opens when an application reaches `completed` (a recruiter marks it, or
`flask reserve close-years` once the service year's end date has passed) and closes when
the application moves on to career, reserve or left: this module follows the application
life cycle through its `application_moved` signal and never changes who calls it.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import audit, clock
from portal.accounts.models import User
from portal.applications import service_start
from portal.applications import workflow as application_workflow
from portal.applications.models import Application, Status
from portal.extensions import db
from portal.models import utcnow
from portal.navigation import FirstTask
from portal.notifications import messages
from portal.refusals import Refusal
from portal.reserve import notify
from portal.reserve.models import ChoiceStatus, YearEndChoice
from portal.security import Role

# The application's move that answers the question, and the choice it records.
ANSWERS = {"career": "choose_career", "reserve": "choose_reserve", "leave": "leave"}
OUTCOME = {Status.CAREER: ChoiceStatus.CAREER, Status.RESERVE: ChoiceStatus.RESERVE,
           Status.LEFT: ChoiceStatus.LEFT}


def choice_of(application_id: int) -> YearEndChoice | None:
    return db.session.scalar(db.select(YearEndChoice)
                             .where(YearEndChoice.application_id == application_id))


def open_choice_for(user_id: int) -> YearEndChoice | None:
    return db.session.scalar(db.select(YearEndChoice).where(
        YearEndChoice.user_id == user_id, YearEndChoice.status == ChoiceStatus.OPEN))


def latest_choice_for(user_id: int) -> YearEndChoice | None:
    return db.session.scalar(db.select(YearEndChoice).where(YearEndChoice.user_id == user_id)
                             .order_by(YearEndChoice.id.desc()).limit(1))


def first_task(user, today: date | None = None) -> FirstTask | None:
    """The open end-of-year question, while it can still be answered: the participant sees
    it first (on landing, in the menu, at the top of every page) until it is answered."""
    if user.role != Role.CITIZEN:
        return None
    choice = open_choice_for(user.id)
    if choice is None or (today or clock.today()) > choice.deadline:
        return None
    return FirstTask(
        "reserve.choice", _("Make my choice"),
        _("Your service year is complete. Choose what comes next before %(date)s: a career "
          "in Defence, the Reserve, or leaving. Without an answer by then, we count you as "
          "leaving.", date=format_date(choice.deadline, "long")),
        menu=_("After your service year"),
        # The Reserve's home and the application form show the question themselves.
        shown_on=("reserve.home", "reserve.apply"))


def follow_application(application: Application, to_status: str, actor) -> None:
    """Subscriber of application_moved: open the question, or record its answer."""
    if to_status == Status.COMPLETED:
        ask(application, actor)
        return
    outcome = OUTCOME.get(to_status)
    choice = choice_of(application.id) if outcome else None
    if choice is not None and choice.status == ChoiceStatus.OPEN:
        choice.status = outcome
        choice.decided_at = utcnow()
        audit.record(actor, "reserve.choice_made", choice, choice=str(outcome))


def ask(application: Application, actor, today: date | None = None) -> YearEndChoice:
    """Open the end-of-year question (once per application) and e-mail it after commit."""
    existing = choice_of(application.id)
    if existing is not None:
        return existing
    today = today or clock.today()
    deadline = today + timedelta(days=current_app.config["RESERVE_CHOICE_DAYS"])
    choice = YearEndChoice(application_id=application.id, user_id=application.user_id,
                           deadline=deadline)
    db.session.add(choice)
    db.session.flush()
    audit.record(actor, "reserve.choice_asked", choice, deadline=deadline.isoformat())
    user = db.session.get(User, application.user_id)
    entry = messages.message("application", "complete")
    notify.later(user, entry.subject, *entry.render(date=deadline),
                 endpoint="reserve.choice", link_label=entry.link_label)
    return choice


def choose(user, choice: YearEndChoice, option: str, today: date | None = None) -> None:
    """The participant answers; a reserve answer is made by reserve.engagements.apply."""
    today = today or clock.today()
    if choice.user_id != user.id:
        raise Refusal(_("You are not allowed to take this action."))
    if choice.status != ChoiceStatus.OPEN:
        raise Refusal(_("You have already made your choice."))
    if today > choice.deadline:
        raise Refusal(_("The deadline for this choice has passed (%(date)s). You can still "
                        "apply to the Reserve directly.",
                        date=format_date(choice.deadline, "long")))
    if option not in ANSWERS:
        raise Refusal(_("Choose one of the options."), field="option")
    application = db.session.get(Application, choice.application_id)
    application_workflow.transition(application, ANSWERS[option], user)


def remind_and_lapse(today: date | None = None) -> tuple[int, int]:
    """Daily: remind open choices nearing their deadline; count those past it as leaving.

    Returns (reminded, lapsed). Flushes; the command commits.
    """
    today = today or clock.today()
    days_before = sorted({int(d) for d in
                          str(current_app.config["RESERVE_REMINDER_DAYS"]).split(",") if d})
    reminded = lapsed = 0
    open_choices = db.session.scalars(db.select(YearEndChoice).where(
        YearEndChoice.status == ChoiceStatus.OPEN).order_by(YearEndChoice.id)).all()
    for choice in open_choices:
        user = db.session.get(User, choice.user_id)
        if today > choice.deadline:
            choice.status = ChoiceStatus.LAPSED
            choice.decided_at = utcnow()
            application = db.session.get(Application, choice.application_id)
            if application.status == Status.COMPLETED:
                application_workflow.transition(application, "leave", None,
                                                reason="year-end choice deadline passed")
            audit.record(None, "reserve.choice_lapsed", choice)
            notify.later(
                user, _l("Your choice after the service year"),
                _l("We did not receive your choice by %(date)s, so we count you as leaving "
                   "Defence.", date=notify.LongDate(choice.deadline)),
                _l("You are welcome to apply to the Reserve directly at any time."),
                endpoint="reserve.apply", link_label=_l("Apply to the Reserve"),
            )
            lapsed += 1
            continue
        left = (choice.deadline - today).days
        # One reminder per threshold reached (14 days before, then 3 days before, ...),
        # however many days the command missed.
        reached = len([d for d in days_before if left <= d])
        if reached > choice.reminders_sent:
            choice.reminders_sent = reached
            choice.last_reminded_at = utcnow()
            notify.later(
                user, _l("Reminder: choose what comes after your service year"),
                _l("You have %(days)d days left to choose: a career in Defence, the Reserve, "
                   "or leaving (deadline %(date)s).", days=left,
                   date=notify.LongDate(choice.deadline)),
                _l("Without an answer by then, we count you as leaving."),
                endpoint="reserve.choice", link_label=_l("Make my choice"),
            )
            reminded += 1
    db.session.flush()
    return reminded, lapsed


def close_years(today: date | None = None) -> int:
    """Daily: complete the service year of everyone whose year has ended (the portal acts).

    The end date is the intake's start date plus SERVICE_YEAR_MONTHS. Returns how many.
    """
    today = today or clock.today()
    months = current_app.config["SERVICE_YEAR_MONTHS"]
    return len(service_start.move_started(Status.IN_SERVICE, add_months(today, -months),
                                          "complete", "service year ended"))


def add_months(day: date, months: int) -> date:
    """The same day `months` months later (or earlier when negative); the month's last day
    when that month is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def career_queue() -> list[tuple[YearEndChoice, User]]:
    """Participants who chose a career and wait for a recruiter, oldest first."""
    return db.session.execute(
        db.select(YearEndChoice, User).join(User, User.id == YearEndChoice.user_id)
        .where(YearEndChoice.status == ChoiceStatus.CAREER, YearEndChoice.handled_at.is_(None))
        .order_by(YearEndChoice.decided_at)
    ).all()


def take_up_career(choice: YearEndChoice, actor) -> None:
    if choice.status != ChoiceStatus.CAREER or choice.handled_at is not None:
        raise Refusal(_("This career application is already taken up."))
    choice.handled_at = utcnow()
    choice.handled_by_id = actor.id
    audit.record(actor, "reserve.career_taken_up", choice)
