"""The letters that go with moves of the life cycle: who receives them, in which
languages, and what each kind's template needs. workflow.LETTERS says which move
issues which kind; this module builds and issues it through the letter engine."""
from __future__ import annotations

import json

from flask import current_app

from portal import regions
from portal.accounts.models import User
from portal.applications.models import Application
from portal.extensions import db
from portal.i18n import LETTER_LANGUAGES

# What a candidate brings to the selection days (printed in the convocation).
BRING = ("identity_card", "glasses", "medication", "sports", "diplomas")


def _contact(application: Application) -> dict:
    try:
        return json.loads(application.answers or "{}").get("contact") or {}
    except (ValueError, AttributeError):
        return {}


def recipient(application: Application):
    """The candidate as printed in the window: the register's address when known."""
    from portal.letters.services import Recipient

    user = db.session.get(User, application.user_id)
    person = user.person if user is not None else None
    if person is not None:
        return Recipient.from_person(person), person, user
    contact = _contact(application)
    return Recipient.structured(
        first_names=application.first_name or "", last_name=application.last_name or "",
        street=contact.get("street") or "", house_number=contact.get("house_number") or "",
        box=contact.get("box"), postcode=contact.get("postcode") or application.postcode or "",
        municipality=contact.get("municipality") or ""), None, user


def languages(application: Application, person) -> tuple[str, ...]:
    """Always at least French and Dutch: the register's language, else the letter language
    the candidate chose (unless it only stood in for an English portal), else the postcode
    region's, first."""
    from portal.letters.services import letter_languages

    user = db.session.get(User, application.user_id)
    chosen = application.language if getattr(user, "language", None) in LETTER_LANGUAGES \
        else None
    register = person.register_language if person is not None else None
    try:
        return letter_languages(person.postcode if person is not None
                                else application.postcode or "", register, chosen)
    except regions.UnknownPostcode:
        return regions.REGISTER_LANGUAGES["nl"]


def _convocation_context(application: Application, decision) -> dict:
    from portal.applications.review_services import convocation_of

    convocation = convocation_of(application)
    day = convocation.selection_day if convocation else None
    return {"selection_day": day, "bring": BRING}


def _decision_context(application: Application, decision) -> dict:
    from portal.applications.review_forms import COMPONENT_LABELS
    from portal.applications.review_services import REJECTION_REASONS

    return {
        "outcome": application.status,
        "component_label": COMPONENT_LABELS.get(application.component, ""),
        "reason_text": REJECTION_REASONS.get(getattr(decision, "reason_code", "") or ""),
        "portal_address": current_app.config["BASE_URL"],
    }


CONTEXT = {"convocation": _convocation_context, "decision": _decision_context}


def issue(kind: str, application: Application, actor, decision=None):
    """Render, archive and audit the letter of `kind` for this application (flushes)."""
    from portal.letters import services

    to, person, user = recipient(application)
    context = {"application": application, "intake": application.intake}
    builder = CONTEXT.get(kind)
    if builder is not None:
        context.update(builder(application, decision))
    return services.issue(kind, recipient=to, context=context, actor=actor,
                          languages=languages(application, person), person=person, user=user,
                          subject=application)
