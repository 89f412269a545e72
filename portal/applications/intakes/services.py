"""Intakes, their information sessions and selection days, as staff manage them."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func

from portal import audit
from portal.applications.intakes.booking import (
    PLACE_GIVEN_UP,
    SELECTION_DAY_PLACES,
    tell_booked,
)
from portal.applications.intakes.models import Booking, InfoSession, SelectionDay
from portal.applications.models import Application, Component, Convocation, Intake, Status
from portal.applications.signals import convocation_changed
from portal.extensions import db
from portal.refusals import Refusal

# The first day of service, as the offer letter and the first-day page print it.
FIRST_DAY_TEXTS = ("first_day_place", "first_day_bring", "first_day_pay", "first_day_lodging",
                   "first_day_travel")
# The intake's name as each language's candidates and letters read it (empty: `name`).
NAME_TEXTS = ("name_nl", "name_fr", "name_de")
# The settings an administrator edits, in form order.
INTAKE_FIELDS = (
    "name", *NAME_TEXTS, "applications_open", "applications_close", "start_date", "quota_total",
    *(f"quota_{c.value}" for c in Component),
    "min_age", "max_age", "nationality_rule", "flag_after_days", "offer_days",
    "requires_info_session", "reschedule_days", "first_day_time", *FIRST_DAY_TEXTS,
    "offer_pay_gross_cents", "offer_pay_net_cents", "offer_rank", "offer_function",
    "offer_leave_days",
)
NATIONALITY_RULES = ("belgian", "eu")


class IntakeError(Refusal):
    """Settings that do not hold together: `errors` maps a field name to its message, one
    problem each (the first is `message` and `field`)."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field)
        self.problems = [self, *(Refusal(text, name) for name, text in
                                 list(errors.items())[1:])]


def check(values: dict) -> dict[str, str]:
    """What is wrong with these settings, by field (empty when they hold together).

    Every place belongs to exactly one component: the component quotas must add up
    to the overall quota, so the two limits selection respects can never disagree.
    """
    errors: dict[str, str] = {}
    if values["applications_close"] < values["applications_open"]:
        errors["applications_close"] = _("The application window must close after it opens.")
    if values["start_date"] <= values["applications_close"]:
        errors["start_date"] = _("The service must start after the application window closes.")
    total = sum(values[f"quota_{c.value}"] for c in Component)
    if total != values["quota_total"]:
        errors["quota_total"] = _(
            "The component quotas add up to %(sum)d, not to the overall quota of %(total)d.",
            sum=total, total=values["quota_total"],
        )
    if values["max_age"] < values["min_age"]:
        errors["max_age"] = _("The maximum age cannot be below the minimum age.")
    if (values.get("first_day_time") is None) != (not (values.get("first_day_place") or "")
                                                    .strip()):
        field = "first_day_time" if values.get("first_day_time") is None else "first_day_place"
        errors[field] = _("Give both the time and the place of the first day, or neither.")
    if values["nationality_rule"] not in NATIONALITY_RULES:
        errors["nationality_rule"] = _("Choose a nationality rule.")
    return errors


def _name_taken(name: str, exclude_id: int | None = None) -> bool:
    query = db.select(Intake.id).where(func.lower(Intake.name) == name.strip().lower())
    if exclude_id is not None:
        query = query.where(Intake.id != exclude_id)
    return db.session.scalar(query) is not None


def create(values: dict, actor) -> Intake:
    errors = check(values)
    if _name_taken(values["name"]):
        errors["name"] = _("Another intake already has this name.")
    if errors:
        raise IntakeError(errors)
    intake = Intake(**{k: values[k] for k in INTAKE_FIELDS if k in values})
    intake.name = intake.name.strip()
    for key in (*NAME_TEXTS, *FIRST_DAY_TEXTS, "offer_rank", "offer_function"):
        setattr(intake, key, (values.get(key) or "").strip())
    db.session.add(intake)
    db.session.flush()
    audit.record(actor, "intake.create", intake, name=intake.name, quota_total=intake.quota_total)
    return intake


def update(intake: Intake, values: dict, actor) -> Intake:
    errors = check(values)
    if _name_taken(values["name"], exclude_id=intake.id):
        errors["name"] = _("Another intake already has this name.")
    if errors:
        raise IntakeError(errors)
    changed = {}
    for key in (k for k in INTAKE_FIELDS if k in values):
        new = (values[key] or "").strip() if key in ("name", *NAME_TEXTS, *FIRST_DAY_TEXTS,
                                                   "offer_rank", "offer_function") \
            else values[key]
        if getattr(intake, key) != new:
            changed[key] = str(new)
            setattr(intake, key, new)
    db.session.flush()
    if changed:
        audit.record(actor, "intake.update", intake, changed=changed)
    return intake


def open_intakes(today: date) -> list[Intake]:
    """Intakes a candidate can book a session for or apply to: window not yet closed."""
    return list(db.session.scalars(
        db.select(Intake).where(Intake.applications_close >= today)
        .order_by(Intake.applications_open, Intake.id)
    ))


def sessions_of(intake: Intake) -> list[tuple[InfoSession, int]]:
    """Every session of an intake with its number of active bookings, in date order."""
    booked = (
        db.select(Booking.session_id, func.count(Booking.id).label("n"))
        .where(Booking.cancelled_at.is_(None)).group_by(Booking.session_id).subquery()
    )
    rows = db.session.execute(
        db.select(InfoSession, func.coalesce(booked.c.n, 0))
        .outerjoin(booked, booked.c.session_id == InfoSession.id)
        .where(InfoSession.intake_id == intake.id)
        .order_by(InfoSession.starts_at, InfoSession.id)
    )
    return [(session, int(n)) for session, n in rows]


def add_session(intake: Intake, starts_at: datetime, online: bool, place: str,
                languages: list[str], capacity: int, actor, join_url: str = "") -> InfoSession:
    session = InfoSession(
        intake=intake, starts_at=starts_at, online=online, place=place.strip(),
        join_url=join_url.strip() if online else "",
        languages=",".join(languages), capacity=capacity,
    )
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "info_session.create", session, intake_id=intake.id,
                 starts_at=starts_at.isoformat(), capacity=capacity)
    return session


def change_capacity(session: InfoSession, capacity: int, actor) -> InfoSession:
    """A new number of places; never below the places already booked."""
    booked = db.session.scalar(
        db.select(func.count(Booking.id))
        .where(Booking.session_id == session.id, Booking.cancelled_at.is_(None))
    )
    if capacity < booked:
        raise IntakeError({"capacity": _(
            "Places already booked: %(booked)d. The capacity cannot be lower.",
            booked=booked)})
    old = session.capacity
    session.capacity = capacity
    db.session.flush()
    audit.record(actor, "info_session.capacity", session, old=old, new=capacity)
    return session


def change_join_url(session: InfoSession, join_url: str, actor) -> InfoSession:
    """A new link to join an online session: those who booked it receive it at once."""
    join_url = join_url.strip()
    if join_url == session.join_url:
        return session
    session.join_url = join_url
    db.session.flush()
    audit.record(actor, "info_session.join_url", session)
    for booking in db.session.scalars(db.select(Booking).where(
            Booking.session_id == session.id, Booking.cancelled_at.is_(None))
            .order_by(Booking.id)):
        tell_booked(booking)
    return session


# --- selection days -----------------------------------------------------------------------

def _check_hours(day: date, hours: dict) -> None:
    """End after start on each day; a second day after the first, with its hours."""
    errors = {}
    if hours.get("ends_at") and hours.get("starts_at") and hours["ends_at"] <= hours["starts_at"]:
        errors["ends_at"] = _("The end must be after the start.")
    second = hours.get("second_day")
    if second is not None:
        if second <= day:
            errors["second_day"] = _("The second day must come after the first.")
        start, end = hours.get("second_starts_at"), hours.get("second_ends_at")
        if start is None or end is None:
            errors["second_starts_at"] = _("Enter the start time.")
        elif end <= start:
            errors["second_ends_at"] = _("The end must be after the start.")
    elif hours.get("overnight"):
        errors["overnight"] = _("A night at the centre needs a second day.")
    if errors:
        raise IntakeError(errors)


def _hours_audit(selection_day: SelectionDay) -> dict:
    return {"day": selection_day.day.isoformat(), "capacity": selection_day.capacity,
            "hours": [f"{d.isoformat()} {start:%H:%M}-{end:%H:%M}"
                      for d, start, end in selection_day.days],
            "overnight": selection_day.overnight}


def create_selection_day(intake: Intake, day: date, place: str, capacity: int, actor,
                         **hours) -> SelectionDay:
    """A selection day; `hours` are SelectionDay's starts_at, ends_at, second_day,
    second_starts_at, second_ends_at and overnight (defaults: one day, 7.30-17.00)."""
    _check_hours(day, hours)
    selection_day = SelectionDay(intake=intake, day=day, place=place.strip(), capacity=capacity,
                                 **hours)
    db.session.add(selection_day)
    db.session.flush()
    audit.record(actor, "selection_day.created", selection_day, intake_id=intake.id,
                 **_hours_audit(selection_day))
    return selection_day


# What the convocation letter prints of a selection day: a change to any of them sends the
# candidates convoked a new one (the capacity is the recruiters' business only).
CONVOCATION_FIELDS = ("day", "place", "starts_at", "ends_at", "second_day",
                      "second_starts_at", "second_ends_at", "overnight")


def to_reconvoke(selection_day: SelectionDay) -> list[Application]:
    """The candidates convoked to the day whose tests are still to come: those a change of
    its date, hours or place concerns (not one who withdrew, was rejected or is past it)."""
    return list(db.session.scalars(
        db.select(Application).join(Convocation, Convocation.application_id == Application.id)
        .where(Convocation.selection_day_id == selection_day.id,
               Application.status == Status.TESTS_SCHEDULED)
        .order_by(Application.id)))


def update_selection_day(selection_day: SelectionDay, day: date, place: str, capacity: int,
                         actor, **hours) -> list[Application]:
    """New dates, hours, place or capacity; never fewer places than candidates holding one.
    When what the convocation prints changed, every candidate still to come gets a new
    convocation and a message (signals.convocation_changed); returns those candidates."""
    _check_hours(day, hours)
    SELECTION_DAY_PLACES.lock(selection_day.id)  # a convocation made meanwhile is counted
    convoked = SELECTION_DAY_PLACES.taken(selection_day.id)
    if capacity < convoked:
        raise IntakeError({"capacity": _(
            "Places already booked: %(booked)d. The capacity cannot be lower.",
            booked=convoked)})
    old = _hours_audit(selection_day)
    before = {name: getattr(selection_day, name) for name in CONVOCATION_FIELDS}
    selection_day.day, selection_day.place, selection_day.capacity = day, place.strip(), capacity
    for name, value in hours.items():
        setattr(selection_day, name, value)
    db.session.flush()
    changed = [name for name in CONVOCATION_FIELDS
               if getattr(selection_day, name) != before[name]]
    told = to_reconvoke(selection_day) if changed else []
    event = audit.record(actor, "selection_day.updated", selection_day, old=old,
                         new=_hours_audit(selection_day), changed=changed,
                         reconvoked=len(told))
    for application in told:
        convocation_changed.send(application, selection_day=selection_day, actor=actor,
                                 key=f"day-{selection_day.id}-change-{event.id}")
    return told


def selection_days(intake: Intake) -> list[tuple[SelectionDay, int]]:
    """The intake's selection days with the number of candidates holding a place in each
    (booking.PLACE_GIVEN_UP: not those who withdrew or were rejected)."""
    booked = (db.select(Convocation.selection_day_id, func.count().label("n"))
              .join(Application, Application.id == Convocation.application_id)
              .where(Application.status.not_in(PLACE_GIVEN_UP))
              .group_by(Convocation.selection_day_id).subquery())
    rows = db.session.execute(
        db.select(SelectionDay, func.coalesce(booked.c.n, 0))
        .outerjoin(booked, booked.c.selection_day_id == SelectionDay.id)
        .where(SelectionDay.intake_id == intake.id)
        .order_by(SelectionDay.day, SelectionDay.id)
    ).all()
    return [(day, n) for day, n in rows]
