"""Where an application stands, in plain words for the candidate: status, next step, letters."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from portal.applications import selection
from portal.applications.models import Application, Status
from portal.applications.workflow import WITHDRAWABLE
from portal.extensions import db
from portal.letters.models import Letter

__all__ = ["WITHDRAWABLE", "explain", "next_step", "history", "letters_of", "replaced",
           "LETTER_KINDS"]

S = Status
TITLES = {
    S.DRAFT: _l("Not sent yet"),
    S.SUBMITTED: _l("Sent"),
    S.SCREENING: _l("Being checked"),
    S.TESTS_SCHEDULED: _l("Invited to the selection tests"),
    S.TESTS_PASSED: _l("Tests passed"),
    S.TESTS_FAILED: _l("Tests not passed"),
    S.SELECTED: _l("Offered a place"),
    S.WAITLISTED: _l("On the waiting list"),
    S.REJECTED: _l("Not selected"),
    S.OFFER_ACCEPTED: _l("Place accepted"),
    S.OFFER_DECLINED: _l("Place declined"),
    S.IN_SERVICE: _l("In service"),
    S.COMPLETED: _l("Service year completed"),
    S.CAREER: _l("Career in Defence"),
    S.RESERVE: _l("Reserve"),
    S.LEFT: _l("Left"),
    S.WITHDRAWN: _l("Withdrawn"),
}
TEXTS = {
    S.DRAFT: _l("You started your application but did not send it yet. We can only look "
                "at it once you send it."),
    S.SUBMITTED: _l("We received your application. A recruiter will look at it soon."),
    S.SCREENING: _l("A recruiter is checking your application."),
    S.TESTS_SCHEDULED: _l("You are invited to the selection tests. Your convocation letter "
                          "says where and when."),
    S.TESTS_PASSED: _l("You passed the selection tests. We are now deciding who gets a place."),
    S.TESTS_FAILED: _l("You did not pass one of the selection tests. You will get a letter "
                       "with our decision."),
    S.SELECTED: _l("Good news: you are offered a place. Accept or decline it before the "
                   "deadline."),
    S.WAITLISTED: _l("You passed, but all places are taken for now. When a place becomes free, "
                     "it goes to the next person on the waiting list."),
    S.REJECTED: _l("We cannot offer you a place this time. The decision letter explains why "
                   "and how you can appeal."),
    S.OFFER_ACCEPTED: _l("You accepted your place. Welcome to the service year!"),
    S.OFFER_DECLINED: _l("You declined the offer, or the deadline passed without an answer."),
    S.IN_SERVICE: _l("Your service year is under way."),
    S.COMPLETED: _l("You completed the service year."),
    S.CAREER: _l("You chose a career in Defence."),
    S.RESERVE: _l("You chose the Reserve."),
    S.LEFT: _l("You left the service year."),
    S.WITHDRAWN: _l("You withdrew your application. Nothing more will happen with it."),
}
LETTER_KINDS = {
    "invitation": _l("Your invitation"),
    "invitation_reminder": _l("Reminder of your invitation"),
    "acknowledgement": _l("Acknowledgement of your application"),
    "convocation": _l("Convocation to the selection tests"),
    "decision": _l("Decision"),
    "review_answer": _l("Answer to your request for a review"),
}


def explain(application: Application) -> tuple[str, str]:
    status = Status(application.status)
    text = str(TEXTS[status])
    if status == S.WAITLISTED and application.waitlist_rank:
        text += " " + _("Your place on the waiting list: %(rank)d.", rank=application.waitlist_rank)
    if status == S.IN_SERVICE:
        text += " " + _("In service since %(date)s.", date=_long(application.intake.start_date))
    return str(TITLES[status]), text


def next_step(application: Application) -> tuple[str, date | None] | None:
    """What the candidate does or waits for next, and by when (None when nothing follows)."""
    status = Status(application.status)
    intake = application.intake
    if status == S.DRAFT:
        day = intake.applications_close
        return _("Complete every step and send your application by %(date)s.",
                 date=_long(day)), day
    if status in (S.SUBMITTED, S.SCREENING):
        since = (application.submitted_at or application.status_changed_at).date()
        day = since + timedelta(days=intake.flag_after_days)
        return _("A recruiter reviews your application. You should hear from us by %(date)s.",
                 date=_long(day)), day
    if status == S.TESTS_SCHEDULED:
        convocation = selection.convocation_of(application)
        if convocation is not None:
            day = convocation.selection_day
            return _("Go to the selection tests on %(date)s at %(place)s.",
                     date=_long(day.day), place=day.place), day.day
        return _("Go to the selection tests on the date in your convocation letter."), None
    if status in (S.TESTS_PASSED, S.TESTS_FAILED):
        day = application.status_changed_at.date() + timedelta(days=intake.flag_after_days)
        return _("Wait for our decision letter, expected by %(date)s.", date=_long(day)), day
    if status == S.SELECTED:
        day = application.offer_deadline
        if day is None:
            return _("Accept or decline the offer."), None
        return _("Accept or decline the offer by %(date)s.", date=_long(day)), day
    if status == S.WAITLISTED:
        return _("Nothing to do: we will write to you if a place becomes free."), None
    if status == S.OFFER_ACCEPTED:
        return _("Your service year starts on %(date)s.", date=_long(intake.start_date)), \
            intake.start_date
    return None


def history(application: Application) -> list[tuple[object, str]]:
    """(moment, what happened) from the start of the draft to now."""
    rows = [(application.created_at, _("You started your application."))]
    for event in application.events:
        rows.append((event.at, str(TITLES[Status(event.to_status)])))
    return rows


def letters_of(application: Application, user) -> list[Letter]:
    """Every letter issued to the candidate: this application's, and those about no other
    application (the invitation, for one)."""
    addressed = Letter.user_id == user.id
    if user.person is not None:
        addressed = or_(addressed, Letter.person_id == user.person.id)
    return list(db.session.scalars(
        db.select(Letter).where(
            addressed,
            or_(Letter.subject_type.is_(None), Letter.subject_type != "Application",
                Letter.subject_id == str(application.id)),
        ).order_by(Letter.created_at, Letter.id)
    ))


# Kinds where a later letter replaces the earlier one (a selection day that changed).
REPLACEABLE = ("convocation",)


def replaced(letters: list[Letter]) -> set[int]:
    """The ids of the letters a later one of the same kind replaces."""
    latest = {letter.kind: letter.id for letter in letters if letter.kind in REPLACEABLE}
    return {letter.id for letter in letters
            if letter.kind in REPLACEABLE and letter.id != latest[letter.kind]}


def _long(day: date) -> str:
    return format_date(day, "long")
