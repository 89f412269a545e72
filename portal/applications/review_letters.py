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

# What a candidate brings to the selection days (printed in the convocation).
BRING = ("identity_card", "glasses", "medication", "sports", "diplomas")


def _address(application: Application) -> tuple[str, ...]:
    try:
        contact = json.loads(application.answers or "{}").get("contact") or {}
    except (ValueError, AttributeError):
        contact = {}
    street = " ".join(filter(None, [contact.get("street"), contact.get("house_number")]))
    if contact.get("box"):
        street += f" bus/bte {contact['box']}"
    town = " ".join(filter(None, [contact.get("postcode") or application.postcode,
                                  contact.get("municipality")]))
    return tuple(line for line in (street, town) if line)


def recipient(application: Application):
    """The candidate as printed in the window: the register's address when known."""
    from portal.letters.services import Recipient

    user = db.session.get(User, application.user_id)
    person = user.person if user is not None else None
    if person is not None:
        return Recipient.from_person(person), person, user
    name = f"{application.first_name} {application.last_name}".strip()
    return Recipient(name=name, address_lines=_address(application),
                     postcode=application.postcode, first_name=application.first_name or None,
                     register_language=application.language), None, user


def languages(application: Application, person) -> tuple[str, ...]:
    """Always at least French and Dutch; the candidate's own language first."""
    chosen = (person.register_language if person is not None else None) or application.language
    return regions.REGISTER_LANGUAGES.get(chosen, regions.REGISTER_LANGUAGES["nl"])


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
