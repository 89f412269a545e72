"""Text that a citizen, an employer or a staff member typed reaches e-mails only as text:
markup in it is escaped in every HTML part, whichever message carries it."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import lazy_gettext

from portal import mail
from portal.accounts.models import User
from portal.applications.intakes import booking
from portal.applications.models import Status
from portal.applications.review import services as review_services
from portal.employers import workflow as agreements
from portal.extensions import db
from portal.notifications import messages
from portal.reserve import training
from portal.reserve.models import EngagementStatus
from tests.employers import helpers as employer_helpers
from tests.support import factories
from tests.support import reserve as helpers
from tests.support import review as h
from tests.support.mail import html_of, last_mail_to, text_of

MARKUP = "<b>x</b><a href=//evil>"
ESCAPED = "&lt;b&gt;x&lt;/b&gt;&lt;a href=//evil&gt;"


def assert_only_escaped(message) -> None:
    html = html_of(message)
    assert "<b>x</b>" not in html and "href=//evil" not in html.replace(ESCAPED, ""), html
    assert ESCAPED in html, html


def test_a_training_periods_place_is_escaped_in_the_reservists_email(app):
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    engagement = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    period = helpers.period(unit, place=MARKUP)
    training.assign(period, engagement, staff)
    db.session.commit()
    mail = last_mail_to(db.session.get(type(staff), engagement.user_id).email)
    assert MARKUP in text_of(mail)  # the text part shows it as typed
    assert_only_escaped(mail)


# --- every message kind, through the one place messages are rendered (mail.build) ----------

EMAILS = Path(__file__).resolve().parents[2] / "portal" / "templates" / "emails"
KINDS = sorted(p.stem for p in EMAILS.glob("*.html") if not p.name.startswith("_"))


class Typed:
    """A record whose every text field holds markup (names, places, reasons, notes, an
    employer's name: whatever a person types); dates and numbers stay dates and numbers."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith(("_on", "_at")) or name in ("deadline", "day"):
            return date.today()
        if name in ("hours", "days", "notice", "rank", "id"):
            return 3
        if name in ("employer", "reservist", "agreement", "period", "row", "user", "terms"):
            return Typed()
        if name == "answer":
            return "declined"
        return MARKUP

    def __str__(self) -> str:
        return MARKUP


def _every_line(entry) -> tuple:
    values = {name: MARKUP for name in ("reference", "intake", "place", "notes", "kind",
                                        "start", "end", "days", "date", "starts_at")}
    return (*entry.render(**values),
            messages.Line(messages.PERIOD_LINE, kind=MARKUP, start=date.today(),
                          end=date.today(), place=MARKUP),
            messages.Line(messages.UNIT_NOTES_LINE, notes=MARKUP),
            messages.Line(messages.UNIT_ANSWER_LINE, answer=MARKUP),
            # The way the place once slipped through: a lazy string that interpolates.
            lazy_gettext("Notes from your unit: %(notes)s", notes=MARKUP))


def _context(entry) -> dict:
    typed = Typed()
    return dict(user=typed, agreement=typed, employer=typed, row=typed, period=typed,
                name=MARKUP, first_name=MARKUP, reservist_name=MARKUP, inviter=MARKUP,
                reason=MARKUP, letter_reference=MARKUP, audience="reservist",
                action="assign", late=True, notice=3, hours=3, kind=entry.kind,
                days_per_year=3, rate=Decimal("120.00"), signed_on=date.today(),
                lines=_every_line(entry), link="https://portal.example.be/x",
                login_link="https://portal.example.be/login",
                reset_link="https://portal.example.be/reset", link_label=entry.link_label,
                deadline=date.today())


@pytest.mark.parametrize("kind", KINDS)
def test_every_message_kind_escapes_markup_in_every_typed_field(app, kind):
    for language in ("nl", "fr", "de"):
        for entry in messages.EVENTS.values():
            message = mail.build("someone@example.be", kind, language, entry.subject,
                                 **_context(entry))
            html = html_of(message)
            assert "<b>x</b>" not in html and "href=//evil" not in html.replace(ESCAPED, "")
            if kind in ("notice", "notification"):
                assert html.count(ESCAPED) >= len(entry.lines) + 4


# --- and through the real moves, with markup typed where people type --------------------

def test_a_staff_typed_session_place_intake_name_and_unit_notes_are_escaped(app):
    intake = factories.intake(name=MARKUP)
    session = factories.info_session(intake, place=MARKUP)
    citizen = factories.user(first_name=MARKUP)
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff], name=MARKUP)
    engagement = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    period = helpers.period(unit, notes=MARKUP, place=MARKUP)
    db.session.commit()
    booking.book(citizen, session.id)
    training.assign(period, engagement, staff)
    db.session.commit()
    assert_only_escaped(last_mail_to(citizen.email))
    assert_only_escaped(last_mail_to(db.session.get(User, engagement.user_id).email))


def test_a_selection_days_place_and_an_intakes_name_are_escaped_in_the_convocation(app):
    intake = factories.intake(name=MARKUP)
    recruiter = factories.user("recruiter")
    day = h.selection_day(intake)
    day.place = MARKUP
    application = h.application(intake, status=Status.SCREENING, first_name=MARKUP)
    db.session.commit()
    review_services.schedule_tests(application, day, recruiter, None)
    db.session.commit()
    assert_only_escaped(last_mail_to(db.session.get(User, application.user_id).email))


def test_an_employers_name_and_reason_are_escaped_in_the_reservists_email(app):
    employer = employer_helpers.employer(name=MARKUP)
    reservist = factories.user(role="citizen", password=None, first_name=MARKUP)
    agreement = employer_helpers.proposed_agreement(employer, reservist)
    hr = employer_helpers.hr_user(employer)
    db.session.commit()
    agreements.transition(agreement, "decline", hr, MARKUP)
    db.session.commit()
    assert_only_escaped(last_mail_to(reservist.email))
