"""The invitation letter: what it prints, one person's letter, and a cohort's letter run
(the run source the letter engine calls)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import audit, clock, i18n
from portal.extensions import db
from portal.invitations.models import Cohort, Invitation, Person
from portal.invitations.services import issue_invitation, new_invitation, revoke_open
from portal.letters import render, runs, services
from portal.letters.models import Letter
from portal.refusals import Refusal

KIND = services.INVITATION_KIND


def _printed(path: str) -> str:
    """A page's address as printed: readable, without the scheme."""
    return current_app.config["BASE_URL"].split("://", 1)[-1] + path


def signup_address() -> str:
    """The sign-up page as printed."""
    return _printed("/start")


def signup_url(code: str) -> str:
    """What the QR code opens: the sign-up page with the code filled in."""
    return f"{current_app.config['BASE_URL']}/start?code={quote(code)}"


def context(cohort, letter_date: date | None = None) -> dict:
    """What every invitation of a cohort shares: the ages its people reach in the letter's
    year come from the cohort's birth dates (a cohort of 17-year-olds reads 17)."""
    letter_date = letter_date or clock.today()
    youngest, oldest = cohort.ages_in(letter_date.year)
    return {
        "age_youngest": youngest,
        "age_oldest": oldest,
        "signup_address": signup_address(),
        "parents_address": _printed("/parents"),
        "expires_on": cohort.expires_on,
        # Register data of people who never sign up go this long after the codes expire.
        "deleted_on": cohort.expires_on + timedelta(
            days=current_app.config["RETENTION_DAYS"]["persons_never_signed_up"]),
        "contact_address": i18n.in_language(current_app.config["CONTACT_ADDRESS"]),
        "letter_date": letter_date,
        "qr_uri": None,
        "qr_prefix": signup_url("").encode(),
    }


def issue_letter(person, cohort, actor) -> tuple[Letter, str]:
    """Issue (or reprint) one person's invitation: a new code, the old one revoked, and the
    letter rendered in full and archived. Returns the letter and the plain code."""
    invitation, code = issue_invitation(person, cohort, actor)
    ctx = {**context(cohort), "qr_uri": render.qr_data_uri(signup_url(code))}
    letter = services.issue(
        KIND, recipient=services.Recipient.from_person(person), context=ctx, actor=actor,
        person=person, cohort=cohort, subject=invitation, reference=invitation.reference,
        slots={"code": code}, delivery=services.POST,  # a code only reaches them by post
    )
    return letter, code


class InvitationRun(runs.RunSource):
    """A cohort's invitation letters: everyone of the cohort, a new code each."""

    name = "invitation"
    kind = KIND
    label = _l("Invitations")
    nothing_to_print = _l("Nothing to print: everyone here already has a letter or an "
                          "account. Print one person's letter again from the cohort page.")

    def scopes(self) -> list[tuple[int, str]]:
        return [(c.id, c.name) for c in db.session.scalars(
            db.select(Cohort).order_by(Cohort.name))]

    def find_scope(self, label: str) -> int | None:
        return db.session.scalar(db.select(Cohort.id).where(Cohort.name == label.strip()))

    def scope(self, scope_id: int) -> Cohort:
        return db.session.get(Cohort, scope_id)

    def recipients(self, scope_id: int, reprint: bool = False):
        # Never anyone who has an account: they log in, a new code would only confuse.
        query = db.select(Person.id).where(Person.cohort_id == scope_id, ~Person.user.has())
        if not reprint:  # monthly extracts: only the people who have no letter yet
            query = query.where(~db.exists().where(
                Letter.person_id == Person.id, Letter.kind == KIND))
        return query.order_by(Person.postcode, Person.id)

    def refusal(self, scope_id: int) -> str | None:
        cohort = db.session.get(Cohort, scope_id)
        if cohort is not None and cohort.expires_on <= clock.today():
            return _("The codes of %(cohort)s expire on %(date)s: a letter printed now would "
                     "carry a code that no longer works.", cohort=cohort.name,
                     date=format_date(cohort.expires_on, "long"))
        return None

    def reprint(self, letter: Letter, actor, reason: str) -> Letter:
        return reprint(db.session.get(Person, letter.person_id), actor, reason,
                       replaces=letter)

    def load(self, keys: Sequence[int]) -> dict[int, Person]:
        return {p.id: p for p in db.session.scalars(
            db.select(Person).where(Person.id.in_(list(keys))))}

    def recipient(self, item: Person) -> services.Recipient:
        return services.Recipient.from_person(item)

    def describe(self, key: int) -> str:
        return f"person {key}"

    def context(self, scope: Cohort, letter_date: date) -> dict:
        return context(scope, letter_date)

    def letter(self, item: Person, scope: Cohort) -> runs.RunLetter:
        invite, code = new_invitation(item, scope)
        return runs.RunLetter(
            recipient=self.recipient(item), reference=invite.reference, fields={"code": code},
            qr_url=signup_url(code), person=item, cohort=scope, subject=invite)

    def done(self, letters: list[runs.RunLetter]) -> None:
        # The new codes replace any the people still had open; stored with their letters.
        revoke_open([letter.person.id for letter in letters])
        db.session.add_all([letter.subject for letter in letters])
        db.session.flush()


SOURCE = InvitationRun()
REMINDER_KIND = "invitation_reminder"


def reminder_cutoff(today: date) -> datetime:
    """Invitation letters made before this moment are old enough for the reminder."""
    day = today - timedelta(days=current_app.config["INVITATION_REMINDER_DAYS"])
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


class ReminderRun(InvitationRun):
    """The one reminder to a cohort's invited people who have not answered: no account, no
    answer ("not interested", "maybe later"), an invitation letter at least
    INVITATION_REMINDER_DAYS old and no reminder yet. It carries a new code, which replaces
    the first letter's (only a hash of that one is kept)."""

    name = "reminder"
    kind = REMINDER_KIND
    label = _l("Reminders of the invitation")

    def recipients(self, scope_id: int, reprint: bool = False):
        # Once: even a run started to letter "everyone again" never reminds twice.
        letter_of = db.select(Letter.id).where(Letter.person_id == Person.id)
        return (db.select(Person.id)
                .where(Person.cohort_id == scope_id, ~Person.user.has(),
                       letter_of.where(Letter.kind == KIND).exists(),
                       ~letter_of.where(Letter.kind == KIND,
                                        Letter.created_at >= reminder_cutoff(clock.today()))
                       .exists(),
                       ~letter_of.where(Letter.kind == REMINDER_KIND).exists(),
                       ~db.select(Invitation.id).where(Invitation.person_id == Person.id,
                                                       Invitation.answer.is_not(None))
                       .exists())
                .order_by(Person.postcode, Person.id))

    def context(self, scope: Cohort, letter_date: date) -> dict:
        return {**context(scope, letter_date), "answer_address": answer_address()}


REMINDER = ReminderRun()


def reminder_counts(cohort: Cohort) -> dict[str, int]:
    """How many of the cohort got the reminder, and how many it would letter today."""
    due = REMINDER.recipients(cohort.id).order_by(None).subquery()
    return {
        "sent": db.session.scalar(db.select(db.func.count(db.func.distinct(Letter.person_id)))
                                  .where(Letter.cohort_id == cohort.id,
                                         Letter.kind == REMINDER_KIND)) or 0,
        "due": db.session.scalar(db.select(db.func.count()).select_from(due)) or 0,
    }


def answer_address() -> str:
    """The page for "not interested" or "maybe later", as printed."""
    return _printed("/start/answer")


def reprint(person: Person, actor, reason: str, replaces: Letter | None = None) -> Letter:
    """A new invitation letter for one person (lost letter, new address): a new code, the
    old one revoked, audited with who and why. Refuses a person who has an account."""
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_("Say why the letter is printed again."), field="reason")
    if person is None or person.cohort is None:
        raise Refusal(_("No invitation letter has this reference."), field="reference")
    if person.user is not None:
        raise Refusal(_("This person already has an account: they log in, no new code is "
                        "sent."), field="reference")
    previous = replaces or db.session.scalar(
        db.select(Letter).where(Letter.person_id == person.id, Letter.kind == KIND)
        .order_by(Letter.id.desc()))
    letter, _code = issue_letter(person, person.cohort, actor)
    audit.record(actor, "invitation.reprinted", letter, person_id=person.id, reason=reason,
                 replaces=previous.reference if previous else None,
                 reference=letter.reference)
    return letter


def person_of_reference(reference: str) -> Person | None:
    """The person an invitation letter (or its invitation) with this reference went to."""
    reference = reference.strip().upper()
    person_id = db.session.scalar(
        db.select(Letter.person_id).where(Letter.reference == reference, Letter.kind == KIND))
    if person_id is None:
        person_id = db.session.scalar(
            db.select(Invitation.person_id).where(Invitation.reference == reference))
    return db.session.get(Person, person_id) if person_id is not None else None


def start_run(cohort: Cohort, out, actor, batch_size: int | None = None,
              letter_date: date | None = None, reprint: bool = False,
              reason: str | None = None):
    """A new letter run for the cohort's people without a letter, or with `reprint` for
    all of them again (flush, no commit). Raises runs.NothingToPrint."""
    return runs.start(SOURCE.name, cohort.id, out, actor, batch_size=batch_size,
                      letter_date=letter_date, reprint=reprint, reason=reason)
