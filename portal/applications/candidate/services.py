"""The candidate's application: start, save each step, check, submit, withdraw, answer an offer."""
from __future__ import annotations

import secrets
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from portal import audit, regions
from portal.applications import identity_clashes, interest
from portal.applications.answers import own as answers
from portal.applications.answers import store as store_answers
from portal.applications.intakes import booking as sessions
from portal.applications.models import Application, Component, Intake, Status
from portal.applications.questions import STEPS
from portal.applications.workflow import TransitionError, transition
from portal.extensions import db
from portal.invitations import identity
from portal.invitations.services import nn_hash
from portal.lifecycle import is_stale
from portal.locking import lock
from portal.refusals import Refusal


class ApplicationError(Refusal):
    """An action the application refuses, for one reason or several (what is missing):
    each of `messages` is one problem, the first is `message`."""

    def __init__(self, *messages: str):
        super().__init__(messages[0])
        self.problems = [self, *(Refusal(message) for message in messages[1:])]


def for_candidate(user_id: int, application_id: int) -> Application | None:
    """The application if it is this user's, else None (the view answers 404)."""
    return db.session.scalar(
        db.select(Application).where(Application.id == application_id,
                                     Application.user_id == user_id)
    )


def of_user(user_id: int) -> list[Application]:
    return list(db.session.scalars(
        db.select(Application).where(Application.user_id == user_id)
        .order_by(Application.created_at.desc(), Application.id.desc())
    ))


def find(user_id: int, intake_id: int) -> Application | None:
    return db.session.scalar(
        db.select(Application).where(Application.user_id == user_id,
                                     Application.intake_id == intake_id)
    )


def components_of(intake: Intake) -> list[str]:
    """The components this intake has places in, in the usual order."""
    return [c.value for c in Component if intake.quota_for(c) > 0]


def start_problems(user, intake: Intake, today: date) -> list[str]:
    problems = []
    if not intake.is_open_on(today):
        problems.append(_("Applications for %(name)s are open from %(open)s to %(close)s.",
                          name=intake.title, open=_format(intake.applications_open),
                          close=_format(intake.applications_close)))
    if intake.requires_info_session and sessions.active_booking(user.id, intake.id) is None:
        problems.append(_("Book a place in an information session first."))
    person = getattr(user, "person", None)
    if person is not None and person.birth_date is not None:
        problems.extend(eligibility(intake, person.birth_date, None).values())
    return problems


def start(user, intake: Intake, today: date) -> Application:
    """The user's application to the intake: the existing one, or a new draft.

    A second "start" (double click, two tabs) finds the first one; the unique
    (intake, user) constraint settles a real race.
    """
    existing = find(user.id, intake.id)
    if existing is not None:
        return existing
    problems = start_problems(user, intake, today)
    if problems:
        raise ApplicationError(*problems)
    application = Application(
        intake_id=intake.id, user_id=user.id, status=Status.DRAFT,
        reference=f"tmp-{secrets.token_hex(8)}",
        first_name=user.first_name, last_name=user.last_name, language=_user_language(user),
    )
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except IntegrityError:
        return find(user.id, intake.id)
    application.reference = f"DJ-{intake.start_date.year}-{application.id:06d}"
    db.session.flush()
    audit.record(user, "application.start", application, intake_id=intake.id)
    return application


def _user_language(user) -> str:
    person = getattr(user, "person", None)
    if person is not None and person.language in ("nl", "fr", "de"):
        return person.language
    return user.language if user.language in ("nl", "fr", "de") else "nl"


def _format(day: date) -> str:
    return format_date(day, "long")


def prefill(user, application: Application, step: str) -> dict:
    """What a step's form shows: the saved answers, else what we know from the invitation
    and the interest questionnaire."""
    saved = answers(application).get(step)
    if saved:
        return saved
    person = getattr(user, "person", None)
    if step == "personal":
        data = {"first_name": user.first_name, "last_name": user.last_name,
                "language": _user_language(user)}
        if person is not None:
            data.update(first_name=person.first_names, last_name=person.last_name,
                        birth_date=person.birth_date.isoformat())
        return data
    if step == "contact":
        data = {"email": user.email}
        if person is not None:
            data.update(street=person.street, house_number=person.house_number, box=person.box,
                        postcode=person.postcode, municipality=person.municipality)
        return data
    return interest.prefill(user, step)  # the interest questionnaire, if they answered it


def check_version(application: Application, version) -> None:
    """Refuse a form made from an older state of the application (another tab, back button)."""
    if application.status != Status.DRAFT:
        raise ApplicationError(_("This application was already submitted: it can no longer "
                                 "be changed. Here is where it stands now."))
    if version is None or is_stale(application, version):
        raise ApplicationError(_("This application was changed in another window meanwhile. "
                                 "Here is what is saved now; check it and save again."))


def save_step(application: Application, step: str, data: dict, actor, version) -> Application:
    """Store one step's answers (a draft, complete or not) and the queue columns it feeds."""
    if step not in STEPS:
        raise ValueError(step)
    lock(application)
    check_version(application, version)
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
    if step == "personal":
        number = data.pop("national_number", None)
        if number:
            # The same keyed hash as the register import's, so a person is recognised
            # whether they signed up with an invitation code or not.
            data["nn_hash"] = nn_hash(number)
        elif "nn_hash" in answers(application).get("personal", {}):
            data["nn_hash"] = answers(application)["personal"]["nn_hash"]
        application.first_name = data["first_name"][:100]
        application.last_name = data["last_name"][:100]
        application.language = data["language"]
    elif step == "contact":
        application.postcode = data["postcode"]
        info = regions.lookup(data["postcode"])
        application.province = info.province_code if info else ""
    elif step == "preferences":
        application.component = data["choice_1"] or None
    stored = answers(application)
    stored[step] = data
    store_answers(application, stored)
    application.last_step = step
    application.version += 1
    db.session.flush()
    audit.record(actor, "application.save_step", application, step=step)
    return application


def birth_date(application: Application, user) -> date | None:
    person = getattr(user, "person", None)
    if person is not None:
        return person.birth_date
    value = answers(application).get("personal", {}).get("birth_date")
    return date.fromisoformat(value) if value else None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def eligibility(intake: Intake, born: date | None, nationality: str | None) -> dict[str, str]:
    """Why this birth date or nationality cannot apply to the intake, by form field.

    Asked as soon as the data are known (the register's birth date before the first step,
    the personal step's answers when they are saved), and once more before submitting.
    """
    problems = {}
    if born is not None:
        age = age_on(born, intake.start_date)
        if not intake.min_age <= age <= intake.max_age:
            problems["birth_date"] = _(
                "On %(start)s you will be %(age)d. This intake is open to candidates aged "
                "%(min)d to %(max)d on that date.", start=_format(intake.start_date), age=age,
                min=intake.min_age, max=intake.max_age)
    allowed = {"belgian"} if intake.nationality_rule == "belgian" else {"belgian", "eu"}
    if nationality and nationality not in allowed:
        problems["nationality"] = (
            _("Belgian nationality is required for this intake.")
            if intake.nationality_rule == "belgian"
            else _("Belgian or another EU nationality is required for this intake."))
    return problems


def missing(application: Application, user, today: date) -> list[str]:
    """Everything that keeps this application from being submitted, in plain words."""
    intake = application.intake
    stored = answers(application)
    problems = [_("Step not completed: %(step)s.", step=str(label))
                for step, label in STEPS.items() if step not in stored]
    if "consent" in stored and not stored["consent"].get("consent"):
        problems.append(_("You did not give your consent."))
    if "personal" in stored and user.person is None and not stored["personal"].get("nn_hash"):
        problems.append(_("Your national register number is missing."))
    if not intake.is_open_on(today):
        problems.append(_("Applications for %(name)s are open from %(open)s to %(close)s.",
                          name=intake.title, open=_format(intake.applications_open),
                          close=_format(intake.applications_close)))
    problems.extend(eligibility(intake, birth_date(application, user),
                                stored.get("personal", {}).get("nationality")).values())
    choice = stored.get("preferences", {}).get("choice_1")
    if choice and choice not in components_of(intake):
        problems.append(_("Your first choice has no places in this intake: choose again."))
    if intake.requires_info_session and sessions.active_booking(user.id, intake.id) is None:
        problems.append(_("Book a place in an information session first."))
    problem = _identity_problem(application, user)
    if problem:
        problems.append(problem)
    return problems


def _claims(application: Application, user) -> tuple[str | None, bool]:
    """(number hash this application stands for, whether the register proves it)."""
    person = identity.person_of(user)
    if person is not None:
        return person.nn_hash, True
    return answers(application).get("personal", {}).get("nn_hash"), False


def _identity_problem(application: Application, user) -> str | None:
    """Why this application cannot go ahead for the person it names, or None.

    A typed number never outranks the register link of an invitation code or eID: the
    registered person always goes ahead (a clash with typed claims is recorded at
    submission), and a number that belongs to another account cannot be typed."""
    number_hash, proven = _claims(application, user)
    if not number_hash:
        return None
    owner = identity.account_id_for_hash(number_hash)
    if not proven and owner is not None and owner != user.id:
        return _("This national register number belongs to another account. If it is yours, "
                 "log in with eID or itsme, or with the account you made with your "
                 "invitation code.")
    if owner is not None and owner != user.id:
        return None
    if not proven and identity_clashes.typed_claims(application, number_hash):
        return _("This person already applied to this intake with another account. "
                 "Log in with that account to follow the application.")
    return None


def _record_clashes(application: Application, user) -> None:
    number_hash, proven = _claims(application, user)
    if number_hash and proven:
        others = identity_clashes.typed_claims(application, number_hash)
        identity_clashes.record(application, others, "register", user)


def submit(application: Application, user, version, today: date):
    """Check everything and submit (the acknowledgement letter follows the move). Flushes."""
    lock(application)
    if application.status != Status.DRAFT:
        raise ApplicationError(_("This application was already submitted."))
    check_version(application, version)
    problems = missing(application, user, today)
    if problems:
        raise ApplicationError(*problems)
    try:
        event = transition(application, "submit", user, version=int(version))
    except TransitionError as err:
        raise ApplicationError(err.message) from err
    _record_clashes(application, user)
    return event


def withdraw(application: Application, user, version, reason: str = ""):
    """Withdraw; a place freed by a selected candidate goes to the waitlist (effects)."""
    lock(application)
    try:
        event = transition(application, "withdraw", user, reason, version=_int(version))
    except TransitionError as err:
        raise ApplicationError(err.message) from err
    return event


def answer_offer(application: Application, user, accept: bool, version, today: date):
    lock(application)
    if (application.status == Status.SELECTED and application.offer_deadline is not None
            and today > application.offer_deadline):
        raise ApplicationError(_("The deadline to answer this offer has passed."))
    try:
        event = transition(application, "accept_offer" if accept else "decline_offer", user,
                           version=_int(version))
    except TransitionError as err:
        raise ApplicationError(err.message) from err
    return event


def _int(version) -> int | None:
    try:
        return int(version)
    except (TypeError, ValueError):
        return None
