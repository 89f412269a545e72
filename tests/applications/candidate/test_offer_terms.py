"""What a selected candidate is offered (pay, rank, function, lodging, leave): staff set it
per intake; the offer page and the offer letter print it in the reader's language."""

from __future__ import annotations

import re

from portal.applications import workflow
from portal.applications.models import Intake, Status
from portal.audit import AuditEvent
from portal.extensions import db
from portal.letters.models import Letter
from tests.applications.intakes.test_admin import _form as _new_intake_form
from tests.support import factories
from tests.support import review as h
from tests.support.client import post_form
from tests.support.letters import pdf_text

TERMS = {
    "offer_pay_gross_cents": 234567,
    "offer_pay_net_cents": 187654,
    "offer_rank": "volunteer",
    "offer_function": "Truck driver (licence C)",
    "offer_leave_days": 28,
}


def _form(intake: Intake, **over) -> dict:
    data = {
        "name": intake.name,
        "applications_open": intake.applications_open.isoformat(),
        "applications_close": intake.applications_close.isoformat(),
        "start_date": intake.start_date.isoformat(),
        "quota_total": "11",
        "quota_land": "5",
        "quota_air": "2",
        "quota_navy": "2",
        "quota_medical": "1",
        "quota_cyber": "1",
        "min_age": "18",
        "max_age": "25",
        "nationality_rule": "belgian",
        "flag_after_days": "14",
        "offer_days": "10",
    }
    data.update(over)
    return data


def _squeeze(text: str) -> str:
    """Any kind of space (the French thousands separator is a narrow one) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def test_staff_set_the_offer_on_the_intake_form_and_it_is_audited(client, login_as):
    intake = factories.intake()
    db.session.commit()
    admin = login_as("admin", language="en")
    url = f"/admin/intakes/{intake.id}/edit"
    assert "Gross pay per month (euro)" in client.get(url).get_data(as_text=True)
    response = post_form(
        client,
        url,
        _form(
            intake,
            offer_pay_gross_cents="2345.67",
            offer_pay_net_cents="1876.54",
            offer_rank="volunteer",
            offer_function=" Truck driver (licence C) ",
            offer_leave_days="28",
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Intake, intake.id)
    assert {key: getattr(saved, key) for key in TERMS} == TERMS
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "intake.update"))
    assert event.actor_id == admin.id
    assert {"offer_pay_gross_cents", "offer_rank", "offer_leave_days"} <= set(
        event.details_dict["changed"]
    )
    # The form shows the amount in euro again.
    assert 'value="2345.67"' in client.get(url).get_data(as_text=True)


def _offer_page(client, login_as, language: str, **intake_fields) -> str:
    intake = factories.intake(**intake_fields)
    user = login_as("citizen", language=language)
    application = h.application(intake, status=Status.SELECTED, user=user, language=language)
    db.session.commit()
    return _squeeze(client.get(f"/my-application/{application.id}/offer").get_data(as_text=True))


def test_the_offer_page_shows_pay_rank_function_and_leave_in_dutch(client, login_as):
    page = _offer_page(client, login_as, "nl", first_day_lodging="Kazerne, kamer van 4", **TERMS)
    assert "Wat je aangeboden wordt" in page
    assert "€ 2.345,67" in page and "€ 1.876,54" in page
    assert "Vrijwilliger" in page and "Truck driver (licence C)" in page
    assert "Kazerne, kamer van 4" in page and "28 dagen" in page


def test_the_offer_page_formats_pay_in_french(client, login_as):
    page = _offer_page(client, login_as, "fr", **TERMS)
    assert "2 345,67 €" in page and "1 876,54 €" in page and "Volontaire" in page
    assert "28 jours" in page


def test_the_offer_page_formats_pay_in_german(client, login_as):
    page = _offer_page(client, login_as, "de", **TERMS)
    assert "2.345,67 €" in page and "1.876,54 €" in page and "Freiwilliger" in page
    assert "28 Tage" in page


def test_an_intake_without_the_offer_shows_no_pay_line(client, login_as):
    page = _offer_page(client, login_as, "en")
    assert "You are offered a place" in page
    assert "What you are offered" not in page and "pay per month" not in page
    assert "€" not in page


def test_the_offer_letter_prints_the_offer_in_each_language_section(client, login_as):
    intake = factories.intake(**TERMS)
    db.session.commit()
    application = h.application(intake, status=Status.WAITLISTED, language="de", postcode="4700")
    db.session.commit()
    workflow.transition(application, "select", None, "test set-up")
    db.session.commit()  # the decision letter is made after the commit
    letter = db.session.scalars(db.select(Letter).where(Letter.kind == "decision")).one()
    text = _squeeze(pdf_text(letter.pdf))
    assert "Bruttolohn pro Monat: 2.345,67 €" in text
    assert "Salaire brut par mois : 2 345,67 €" in text
    assert "Brutoloon per maand: € 2.345,67" in text
    assert "Freiwilliger" in text and "Volontaire" in text and "Vrijwilliger" in text
    assert text.count("Truck driver (licence C)") == 3
    assert "28 Tage" in text and "28 jours" in text and "28 dagen" in text


def test_an_impossible_amount_is_refused_with_a_message(client, login_as):
    login_as("admin", language="en")
    for typed in ("Infinity", "NaN", "1e30", "-5"):
        response = post_form(client, "/admin/intakes/new",
                             _new_intake_form(name=f"Lichting {typed}",
                                              offer_pay_gross_cents=typed))
        assert response.status_code != 302, typed  # the form again, with the message
        assert 'id="offer_pay_gross_cents-error"' in response.get_data(as_text=True), typed
        assert db.session.scalar(db.select(Intake).where(
            Intake.name == f"Lichting {typed}")) is None
