"""The letters of the life cycle: who receives them, in which languages, and what each
kind's template needs. effects.LETTERS says which move issues which kind; issue() builds
it and hands it to the letter engine.

Recipient: the National Register's address when the candidate signed up with an
invitation (their Person), else the address given in the application's contact step.
A letter goes to the post only with an address the post can deliver; without one it is
made all the same, for the application page and the e-mail that announces it.
Languages, for every kind alike (letters.services.letter_languages): the language the
register gave, else the one the candidate chose for their letters (not when it only
stood in for an English portal), else the postcode region's; Dutch and French first when
the postcode is unknown, so such an address gets a letter too.
"""
from __future__ import annotations

from dataclasses import replace

from flask import current_app

from portal import i18n, regions
from portal.accounts.models import User
from portal.applications import answers, first_day, offer_terms, selection, vocab, waitlist
from portal.applications.models import Application, Decision, Status
from portal.extensions import db
from portal.i18n import LETTER_LANGUAGES
from portal.letters import pending, services
from portal.letters.services import Recipient

# What a candidate brings to the selection days (printed in the convocation).
BRING = ("identity_card", "glasses", "medication", "sports", "diplomas")


def recipient(application: Application, person) -> Recipient:
    """The candidate as printed in the envelope window: the register's address, else the
    one given in the application, whichever the post can deliver first. When neither can
    be delivered, the letter goes online only (services.for_delivery)."""
    contact = answers.stored(application).get("contact") or {}
    if not isinstance(contact, dict):
        contact = {}
    given = Recipient.structured(
        first_names=application.first_name or "", last_name=application.last_name or "",
        street=contact.get("street") or "", house_number=contact.get("house_number") or "",
        box=contact.get("box"), postcode=contact.get("postcode") or application.postcode or "",
        municipality=contact.get("municipality") or "")
    if person is None:
        return given
    registered = Recipient.from_person(person)
    if registered.deliverable or not given.deliverable:
        return registered
    # The register's address is incomplete: the application's, under the register's name.
    return replace(given, name=registered.name, first_names=registered.first_names,
                   last_name=registered.last_name, first_name=registered.first_name,
                   register_language=registered.register_language)


def has_postal_address(application: Application, session=None) -> bool:
    """Do this application's letters go to the post? (Else to the portal and e-mail only.)
    `session`: the one `application` was read in, when not the request's."""
    user = (session or db.session).get(User, application.user_id)
    return recipient(application, user.person if user is not None else None).deliverable


def languages(application: Application, person) -> tuple[str, ...]:
    """The register's language, else the letter language the candidate chose (unless it
    only stood in for an English portal), else the postcode region's, first; Dutch and
    French when the postcode is unknown too."""
    user = db.session.get(User, application.user_id)
    chosen = application.language if getattr(user, "language", None) in LETTER_LANGUAGES \
        else None
    register = person.register_language if person is not None else None
    try:
        return services.letter_languages(
            person.postcode if person is not None else application.postcode or "", register,
            chosen)
    except regions.UnknownPostcode:
        return regions.REGISTER_LANGUAGES["nl"]


def _acknowledgement_context(application: Application, decision) -> dict:
    intake = application.intake
    return {
        "application_reference": application.reference,
        "intake_name": intake.title,
        "submitted_on": application.submitted_at.date(),
        "start_date": intake.start_date,
        "answer_days": intake.flag_after_days,
    }


def _convocation_context(application: Application, decision) -> dict:
    convocation = selection.convocation_of(application)
    day = convocation.selection_day if convocation else None
    return {"selection_day": day, "bring": BRING}


def _decision_context(application: Application, decision, outcome=None) -> dict:
    outcome = outcome or application.status
    if outcome == Status.WAITLISTED == application.status:
        # The letter prints the rank: make it current whatever ran before this letter.
        waitlist.rerank(application.intake_id, application.component)
    return {
        "outcome": outcome,
        "component_label": vocab.COMPONENT_LABELS.get(application.component, ""),
        "reason_text": vocab.REJECTION_REASONS.get(getattr(decision, "reason_code", "") or ""),
        "ground_text": vocab.REJECTION_GROUNDS.get(getattr(decision, "reason_code", "") or ""),
        "portal_address": current_app.config["BASE_URL"],
        "review_days": current_app.config["REVIEW_REQUEST_DAYS"],
        "contact_address": i18n.in_language(current_app.config["CONTACT_ADDRESS"]),
        **first_day.context(application.intake),
        # The first day's part prints the lodging when the first day is set.
        "offer_lines": offer_terms.lines(
            application.intake, lodging=not first_day.is_set(application.intake))
        if outcome == Status.SELECTED else [],
    }


CONTEXT = {"acknowledgement": _acknowledgement_context, "convocation": _convocation_context,
           "decision": _decision_context}


def _letter(kind: str, application: Application, decision, outcome=None,
            changed: bool = False) -> dict:
    """What services.issue needs of this application's letter of `kind`. `changed`: the
    letter replaces one of the same kind whose details (a selection day's) changed."""
    user = db.session.get(User, application.user_id)
    person = user.person if user is not None else None
    context = {"application": application, "intake": application.intake, "changed": changed}
    builder = CONTEXT.get(kind)
    if builder is _decision_context:
        context.update(builder(application, decision, outcome))
    elif builder is not None:
        context.update(builder(application, decision))
    return {"recipient": recipient(application, person), "context": context,
            "languages": languages(application, person), "person": person, "user": user}


def issue(kind: str, application: Application, actor, decision=None, *,
          reference: str | None = None, outcome: str | None = None, changed: bool = False):
    """Render, archive and audit the letter of `kind` for this application (flushes).
    `outcome`: the status a decision letter announces, when the application moved on
    since; `changed`: the letter replaces an earlier one whose details changed."""
    return services.issue(kind, actor=actor, subject=application, reference=reference,
                          **_letter(kind, application, decision, outcome, changed))


def issue_later(kind: str, application: Application, actor, decision=None, *,
                changed: bool = False):
    """The letter of `kind`, rendered once the move's transaction commits (letters.pending):
    the move answers at once. Its reference is fixed now, and what would stop it from
    printing (a name too long for its line) refuses the move now (NotPrintable).
    `changed`: it replaces an earlier letter of the kind (a selection day that changed)."""
    user = db.session.get(User, application.user_id)
    person = user.person if user is not None else None
    params = {"decision_id": getattr(decision, "id", None), "outcome": str(application.status)}
    if changed:
        params["changed"] = True
    return pending.later_printable(
        kind, make, subject=application, recipient=recipient(application, person),
        languages=languages(application, person), user=user, person=person, actor=actor,
        params=params)


def make(row) -> None:
    """Issue a pending letter of an application (letters.pending calls it after the commit).
    An application erased meanwhile gets no letter."""
    application = db.session.get(Application, int(row.subject_id))
    if application is None:
        return
    given = pending.params(row)
    decision = (db.session.get(Decision, given["decision_id"])
                if given.get("decision_id") else None)
    actor = db.session.get(User, row.actor_id) if row.actor_id else None
    issue(row.kind, application, actor, decision, reference=row.reference,
          outcome=given.get("outcome"), changed=bool(given.get("changed")))
