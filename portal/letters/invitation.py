"""The invitation letter: what it needs beyond the shared letter parts."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _

from portal import i18n
from portal.letters import render, services
from portal.letters.models import Letter

KIND = services.INVITATION_KIND


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
    from portal.invitations.services import issue_invitation

    invitation, code = issue_invitation(person, cohort, actor)
    ctx = {**context(cohort), "qr_uri": render.qr_data_uri(signup_url(code))}
    letter = services.issue(
        KIND, recipient=services.Recipient.from_person(person), context=ctx, actor=actor,
        person=person, cohort=cohort, subject=invitation, reference=invitation.reference,
        slots={"code": code},
    )
    return letter, code
