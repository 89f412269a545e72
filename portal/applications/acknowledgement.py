"""The acknowledgement letter a candidate receives when the application is submitted."""
from __future__ import annotations

from portal import regions
from portal.applications.models import Application
from portal.i18n import LETTER_LANGUAGES
from portal.letters import services as letters


def recipient(application: Application, user) -> letters.Recipient:
    """Where the letter goes: the register's address if we have it, else the contact step's."""
    from portal.applications.candidate_services import answers

    if user.person is not None:
        return letters.Recipient.from_person(user.person)
    stored = answers(application)
    personal, contact = stored["personal"], stored["contact"]
    return letters.Recipient.structured(
        first_names=personal["first_name"], last_name=personal["last_name"],
        street=contact["street"], house_number=contact["house_number"],
        box=contact.get("box"), postcode=contact["postcode"],
        municipality=contact["municipality"])


def languages(application: Application, user, to: letters.Recipient) -> tuple[str, ...]:
    """The register's language, else the letter language the candidate chose (unless it
    only stood in for an English portal), else the postcode region's, first."""
    person = user.person
    chosen = application.language if user.language in LETTER_LANGUAGES else None
    try:
        return letters.letter_languages(
            to.postcode, person.register_language if person is not None else None, chosen)
    except regions.UnknownPostcode:
        return regions.REGISTER_LANGUAGES["nl"]


def issue_for(application: Application, user):
    """Render, archive and audit the acknowledgement. Flushes; the caller commits."""
    to = recipient(application, user)
    intake = application.intake
    return letters.issue(
        "acknowledgement", recipient=to, languages=languages(application, user, to),
        context={
            "application_reference": application.reference,
            "intake_name": intake.name,
            "submitted_on": application.submitted_at.date(),
            "start_date": intake.start_date,
            "answer_days": intake.flag_after_days,
        },
        actor=user, user=user, person=user.person, subject=application,
    )
