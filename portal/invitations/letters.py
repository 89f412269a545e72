"""The invitation letter: what it prints, one person's letter, and a cohort's letter run
(the run source the letter engine calls)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import i18n
from portal.extensions import db
from portal.invitations.models import Cohort, Person
from portal.invitations.services import issue_invitation, new_invitation, revoke_open
from portal.letters import render, runs, services
from portal.letters.models import Letter

KIND = "invitation"


def signup_address() -> str:
    """The sign-up page as printed: readable, without the scheme."""
    base = current_app.config["BASE_URL"]
    return base.split("://", 1)[-1] + "/start"


def signup_url(code: str) -> str:
    """What the QR code opens: the sign-up page with the code filled in."""
    return f"{current_app.config['BASE_URL']}/start?code={quote(code)}"


def context(cohort, letter_date: date | None = None) -> dict:
    """What every invitation of a cohort shares."""
    with i18n.locale("nl"):
        title = _("Your invitation to the Service Year")
    return {
        "invited_age": current_app.config["INVITED_AGE"],
        "signup_address": signup_address(),
        "expires_on": cohort.expires_on,
        "letter_date": letter_date or date.today(),
        "title": title,
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
        slots={"code": code},
    )
    return letter, code


class InvitationRun(runs.RunSource):
    """A cohort's invitation letters: everyone of the cohort, a new code each."""

    name = "invitation"
    kind = KIND
    label = _l("Invitations")

    def scopes(self) -> list[tuple[int, str]]:
        return [(c.id, c.name) for c in db.session.scalars(
            db.select(Cohort).order_by(Cohort.name))]

    def find_scope(self, label: str) -> int | None:
        return db.session.scalar(db.select(Cohort.id).where(Cohort.name == label.strip()))

    def scope(self, scope_id: int) -> Cohort:
        return db.session.get(Cohort, scope_id)

    def recipients(self, scope_id: int):
        return (db.select(Person.id).where(Person.cohort_id == scope_id)
                .order_by(Person.postcode, Person.id))

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


def start_run(cohort: Cohort, out, actor, batch_size: int | None = None,
              letter_date: date | None = None):
    """A new letter run for the cohort (flush, no commit)."""
    return runs.start(SOURCE.name, cohort.id, out, actor, batch_size=batch_size,
                      letter_date=letter_date)
