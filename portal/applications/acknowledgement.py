"""The acknowledgement letter a candidate receives when the application is submitted."""
from __future__ import annotations

from portal import regions
from portal.applications.models import Application
from portal.letters import services as letters


def recipient(application: Application, user) -> letters.Recipient:
    """Where the letter goes: the register's address if we have it, else the contact step's."""
    from portal.applications.candidate_services import answers

    if user.person is not None:
        return letters.Recipient.from_person(user.person)
    stored = answers(application)
    personal, contact = stored["personal"], stored["contact"]
    street = f"{contact['street']} {contact['house_number']}".strip()
    if contact.get("box"):
        street += f" bus/bte {contact['box']}"
    return letters.Recipient(
        name=f"{personal['first_name']} {personal['last_name']}",
        address_lines=(street, f"{contact['postcode']} {contact['municipality']}"),
        postcode=contact["postcode"],
        first_name=personal["first_name"],
    )


def languages(application: Application, user, to: letters.Recipient) -> tuple[str, ...]:
    """The register's language if it gave one, else the one the candidate chose, first."""
    person = user.person
    preferred = (person.register_language if person is not None else None) or application.language
    return regions.letter_languages(to.postcode, preferred)


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
