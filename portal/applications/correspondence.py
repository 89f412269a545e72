"""The letters of the life cycle: who receives them, in which languages, and what each
kind's template needs. effects.LETTERS says which move issues which kind; issue() builds
it and hands it to the letter engine.

Recipient: the National Register's address when the candidate signed up with an
invitation (their Person), else the address given in the application's contact step.
Languages, for every kind alike: the language the register gave, else the one the
candidate chose for their letters, else Dutch; in that language's order
(regions.REGISTER_LANGUAGES: always French and Dutch, German first for German). The
postcode plays no part, so an address the region table does not know gets a letter too.
"""
from __future__ import annotations

from flask import current_app

from portal import addresses, regions
from portal.accounts.models import User
from portal.applications import answers, selection, vocab, waitlist
from portal.applications.models import Application, Status
from portal.extensions import db
from portal.letters import services
from portal.letters.services import Recipient

# What a candidate brings to the selection days (printed in the convocation).
BRING = ("identity_card", "glasses", "medication", "sports", "diplomas")


def recipient(application: Application, person) -> Recipient:
    """The candidate as printed in the envelope window."""
    if person is not None:
        return Recipient.from_person(person)
    contact = answers.stored(application).get("contact") or {}
    if not isinstance(contact, dict):
        contact = {}
    name = f"{application.first_name} {application.last_name}".strip()
    lines = addresses.address_lines(
        contact.get("street"), contact.get("house_number"), contact.get("box"),
        contact.get("postcode") or application.postcode, contact.get("municipality"))
    return Recipient(name=name, address_lines=lines, postcode=application.postcode,
                     first_name=application.first_name or None,
                     register_language=application.language)


def languages(application: Application, person) -> tuple[str, ...]:
    """The register's language, else the candidate's choice, else Dutch, first."""
    chosen = (person.register_language if person is not None else None) or application.language
    return regions.REGISTER_LANGUAGES.get(chosen, regions.REGISTER_LANGUAGES["nl"])


def _acknowledgement_context(application: Application, decision) -> dict:
    intake = application.intake
    return {
        "application_reference": application.reference,
        "intake_name": intake.name,
        "submitted_on": application.submitted_at.date(),
        "start_date": intake.start_date,
        "answer_days": intake.flag_after_days,
    }


def _convocation_context(application: Application, decision) -> dict:
    convocation = selection.convocation_of(application)
    day = convocation.selection_day if convocation else None
    return {"selection_day": day, "bring": BRING}


def _decision_context(application: Application, decision) -> dict:
    if application.status == Status.WAITLISTED:
        # The letter prints the rank: make it current whatever ran before this letter.
        waitlist.rerank(application.intake_id, application.component)
    return {
        "outcome": application.status,
        "component_label": vocab.COMPONENT_LABELS.get(application.component, ""),
        "reason_text": vocab.REJECTION_REASONS.get(getattr(decision, "reason_code", "") or ""),
        "portal_address": current_app.config["BASE_URL"],
    }


CONTEXT = {"acknowledgement": _acknowledgement_context, "convocation": _convocation_context,
           "decision": _decision_context}


def issue(kind: str, application: Application, actor, decision=None):
    """Render, archive and audit the letter of `kind` for this application (flushes)."""
    user = db.session.get(User, application.user_id)
    person = user.person if user is not None else None
    context = {"application": application, "intake": application.intake}
    builder = CONTEXT.get(kind)
    if builder is not None:
        context.update(builder(application, decision))
    return services.issue(kind, recipient=recipient(application, person), context=context,
                          actor=actor, languages=languages(application, person), person=person,
                          user=user, subject=application)
