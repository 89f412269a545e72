"""What Defence pays an enterprise, into which account and when: the IBAN its HR users give
(checked, audited, told to every HR user), the statement's payment section (page, PDF, CSV)
with the date from Defence's setting; a reservist's working time counting compensation and
leave pro rata; the leave statement as a PDF; contesting one line's amount and its
correction."""
from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from portal.audit import AuditEvent
from portal.employers import statements
from portal.employers.models import Employer, StatementReview
from portal.extensions import db
from tests.employers import helpers
from tests.employers.helpers import NUMBERS, employer, hr_user, pdf_text, signed_agreement
from tests.support import factories
from tests.support.client import login, post_form
from tests.support.mail import last_mail_to, outbox, text_of

LAST_YEAR = date.today().year - 1
IBAN = "BE71 0961 2345 6769"
REASON = "Two days of the June exercise are missing from the count."


@pytest.fixture
def bakery(app, calendar, monkeypatch):
    monkeypatch.setitem(app.config, "EMPLOYER_STATEMENT_REVIEW_DAYS", 400)
    company = employer(NUMBERS[0], "Bakkerij Janssens BV")
    hr = hr_user(company, language="en", email="hr@bakkerij.be")
    colleague = hr_user(company, admin=False, language="fr", email="rh@bakkerij.be")
    an = helpers.reservist(language="nl", first_name="An", last_name="Peeters")
    bo = helpers.reservist(language="nl", first_name="Bo", last_name="Claes")
    agreements = {}
    for person in (an, bo):
        agreement = signed_agreement(company, hr=hr, reservist=person)
        agreement.signed_at = datetime(LAST_YEAR, 3, 1, tzinfo=UTC)
        agreements[person.id] = agreement
    calendar.served[(an.id, LAST_YEAR)] = 4
    calendar.served[(bo.id, LAST_YEAR)] = 10
    admin = factories.user(role="admin", password=None, language="en")
    db.session.commit()
    return company, hr, colleague, an, bo, agreements, admin


def _statement_url(company, year=LAST_YEAR):
    return f"/employer/enterprises/{company.id}/statements/{year}"


def _set_account(client, company, value):
    page = f"/employer/enterprises/{company.id}"
    return post_form(client, f"{page}/account", {"iban": value}, page=page)


# ------------------------------------------------------------------ the account


def test_an_hr_user_gives_the_account_and_every_hr_user_is_told(client, bakery):
    company, hr, colleague, *_rest = bakery
    login(client, hr)
    assert f'action="/employer/enterprises/{company.id}/account"' in client.get(
        f"/employer/enterprises/{company.id}").get_data(as_text=True)
    response = _set_account(client, company, "be71096123456769")
    assert response.status_code == 302
    assert db.session.get(Employer, company.id).iban == "BE71096123456769"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert IBAN in page and "Every HR user of the enterprise gets an e-mail" in page
    # Both HR users hear of it, each in their language; the colleague in French.
    assert IBAN in text_of(last_mail_to("rh@bakkerij.be"))
    assert "compte" in last_mail_to("rh@bakkerij.be")["Subject"].lower()
    assert IBAN in text_of(last_mail_to("hr@bakkerij.be"))
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "employer.account_changed"))
    assert event is not None and "0961" not in str(event.details)  # masked: last four only
    # Sending the same account again changes nothing and sends nothing.
    before = len(_mails_to("rh@bakkerij.be"))
    _set_account(client, company, IBAN)
    assert len(_mails_to("rh@bakkerij.be")) == before


def _mails_to(address):
    return [m for m in outbox() if m["To"] == address]


@pytest.mark.parametrize("value, message", [
    ("BE71096123456760", "does not exist"),
    ("12345", "as an IBAN"),
])
def test_a_wrong_account_is_refused_next_to_the_field_and_nothing_changes(client, bakery, value,
                                                                          message):
    company, hr, *_rest = bakery
    company.iban = "BE71096123456769"
    db.session.commit()
    login(client, hr)
    response = _set_account(client, company, value)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.get(Employer, company.id).iban == "BE71096123456769"


def test_another_enterprises_account_cannot_be_set(client, bakery):
    company, *_rest = bakery
    stranger = hr_user(employer(NUMBERS[1], "Andere NV"))
    db.session.commit()
    login(client, stranger)
    page = "/employer/"
    response = post_form(client, f"/employer/enterprises/{company.id}/account",
                         {"iban": IBAN}, page=page)
    assert response.status_code == 404
    assert db.session.get(Employer, company.id).iban is None


# ------------------------------------------------------------------ payment in the statement


def test_the_statement_says_what_is_paid_into_which_account_and_when(app, client, bakery,
                                                                     monkeypatch):
    company, hr, *_rest = bakery
    login(client, hr)
    page = client.get(_statement_url(company)).get_data(as_text=True)
    # No account yet: said so, with the way to give one.
    assert "None given yet" in page and f"/employer/enterprises/{company.id}#account" in page
    company.iban = "BE71096123456769"
    db.session.commit()
    monkeypatch.setitem(app.config, "EMPLOYER_PAYMENT_DAYS", 45)
    expected = date(LAST_YEAR, 12, 31) + timedelta(days=400 + 45)
    assert statements.statement_for(company, LAST_YEAR).payment_date == expected
    page = client.get(_statement_url(company)).get_data(as_text=True)
    # 4 + 10 days × € 120.00 (the default rate) = € 1,680.00
    assert "1,680.00" in page and IBAN in page
    assert expected.strftime("%B") in page and "45 days after the last day to contest" in page
    text = " ".join(pdf_text(client.get(f"{_statement_url(company)}.pdf").data).split())
    assert IBAN in text and "1.680,00" in text  # Dutch first in the letter
    rows = list(csv.reader(io.StringIO(
        client.get(f"{_statement_url(company)}.csv").data.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["iban", "payment_date"]
    assert rows[1][-2:] == ["BE71096123456769", expected.isoformat()]


# ------------------------------------------------------------------ part-time work


def test_part_time_work_counts_compensation_and_leave_pro_rata(app, client, bakery):
    company, hr, _colleague, an, _bo, agreements, _admin = bakery
    login(client, hr)
    url = f"/employer/agreements/{agreements[an.id].id}"
    assert f"{url}/working-time" in client.get(url).get_data(as_text=True)
    response = post_form(client, f"{url}/working-time", {"work_percent": "80"}, page=url)
    assert response.status_code == 302
    line = {x.reservist: x for x in statements.statement_for(company, LAST_YEAR).lines}
    assert line["An Peeters"].work_percent == 80
    assert line["An Peeters"].amount == Decimal("384.00")  # 4 × € 120.00 × 80 %
    assert line["Bo Claes"].amount == Decimal("1200.00")
    rows = list(csv.reader(io.StringIO(client.get(
        f"{_statement_url(company)}/leave.csv").data.decode("utf-8-sig"))))
    # 4 days × 1 (the default leave per day) × 80 % = 3.2, rounded down to half days.
    assert [r[-2:] for r in rows if r[3] == "An Peeters"] == [["80", "3"]]
    page = client.get(_statement_url(company)).get_data(as_text=True)
    assert "80 %" in page and "pro rata" in page
    for wrong in ("0", "120", "eighty"):
        refused = post_form(client, f"{url}/working-time", {"work_percent": wrong}, page=url)
        assert refused.status_code == 302
        assert "whole number" in client.get(url).get_data(as_text=True)
    assert db.session.get(type(agreements[an.id]), agreements[an.id].id).work_percent == 80
    stranger = hr_user(employer(NUMBERS[1], "Andere NV"))
    db.session.commit()
    login(client, stranger)
    forged = post_form(client, f"{url}/working-time", {"work_percent": "50"}, page="/employer/")
    assert forged.status_code == 404


# ------------------------------------------------------------------ leave statement as PDF


def test_the_compensatory_leave_statement_as_a_pdf_beside_the_csv(app, client, bakery):
    company, hr, *_rest = bakery
    login(client, hr)
    page = client.get(_statement_url(company)).get_data(as_text=True)
    assert f'href="{_statement_url(company)}/leave.pdf"' in page
    response = client.get(f"{_statement_url(company)}/leave.pdf")
    assert response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    text = " ".join(pdf_text(response.data).split())
    assert "An Peeters" in text and "Bo Claes" in text
    assert f"Compensatieverlof {LAST_YEAR} van uw reservisten" in text
    assert f"Congé compensatoire {LAST_YEAR} de vos réservistes" in text
    stranger = hr_user(employer(NUMBERS[1], "Andere NV"))
    db.session.commit()
    login(client, stranger)
    assert client.get(f"{_statement_url(company)}/leave.pdf").status_code == 404


# ------------------------------------------------------------------ contesting one amount


def _contest(client, company, line, reason=REASON):
    return post_form(client, f"{_statement_url(company)}/review",
                     {"line": line, "reason": reason}, page=_statement_url(company))


def _answer(client, admin, review, outcome, corrected="", text="The June list shows 6 days."):
    login(client, admin)
    return post_form(client, f"/admin/employers/statement-reviews/{review.id}",
                     {"outcome": outcome, "answer": text, "corrected": corrected},
                     page="/admin/employers/statement-reviews")


def test_an_hr_user_contests_one_line_and_defence_corrects_its_amount(client, bakery):
    company, hr, _colleague, an, bo, _agreements, admin = bakery
    login(client, hr)
    page = client.get(_statement_url(company)).get_data(as_text=True)
    assert f'<option value="{an.id}">An Peeters</option>' in page
    assert _contest(client, company, str(an.id)).status_code == 302
    # Pressed twice: one request only.
    again = _contest(client, company, str(an.id))
    assert again.status_code == 400 and "already asked" in again.get_data(as_text=True)
    review = db.session.scalar(db.select(StatementReview))
    assert db.session.scalar(db.select(db.func.count(StatementReview.id))) == 1
    assert (review.line_reservist_id, review.amount_cents) == (an.id, 48000)
    page = client.get(_statement_url(company)).get_data(as_text=True)
    assert "the line of An Peeters" in page and "waiting for an answer" in page

    queue = _answer(client, admin, review, "corrected")  # corrected, but no amount
    assert queue.status_code == 400 and "corrected amount" in queue.get_data(as_text=True)
    assert _answer(client, admin, review, "corrected", "720.00").status_code == 302
    # Answering twice changes nothing.
    twice = _answer(client, admin, review, "upheld")
    assert twice.status_code == 400
    review = db.session.get(StatementReview, review.id)
    assert (review.outcome, review.corrected_cents) == ("corrected", 72000)

    mail = text_of(last_mail_to("hr@bakkerij.be"))
    assert "480.00" in mail and "720.00" in mail and "An Peeters" in mail
    statement = statements.statement_for(company, LAST_YEAR)
    assert statement.total == Decimal("1920.00")  # 720.00 + 10 × 120.00
    login(client, hr)
    page = client.get(_statement_url(company)).get_data(as_text=True)
    assert "1,920.00" in page and "corrected on review" in page
    assert "Corrected amount: € 720.00" in page
    assert re.search(r"Amount Defence pays</dt>\s*<dd>€ 1,920.00", page)


def test_the_whole_statement_corrected_sets_the_total_paid(client, bakery):
    company, hr, *_rest, admin = bakery
    login(client, hr)
    assert _contest(client, company, "").status_code == 302
    review = db.session.scalar(db.select(StatementReview))
    assert (review.line_reservist_id, review.amount_cents) == (None, 168000)
    assert _answer(client, admin, review, "corrected", "1.800,00").status_code == 302
    assert statements.statement_for(company, LAST_YEAR).total == Decimal("1800.00")


def test_a_line_of_another_statement_cannot_be_contested(client, bakery):
    company, hr, *_rest = bakery
    outsider = factories.user(role="citizen", password=None)
    db.session.commit()
    login(client, hr)
    response = _contest(client, company, str(outsider.id))
    assert response.status_code == 400 and "Choose a line" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(StatementReview)) is None


def test_the_corrected_amounts_are_written_in_the_readers_language(client, bakery):
    company, hr, *_rest, admin = bakery
    hr.language, admin.language = "nl", "en"
    db.session.commit()
    login(client, hr)
    assert _contest(client, company, "").status_code == 302
    review = db.session.scalar(db.select(StatementReview))
    assert _answer(client, admin, review, "corrected", "1800.00").status_code == 302
    mail = text_of(last_mail_to("hr@bakkerij.be"))
    assert "€ 1.680,00" in mail and "€ 1.800,00" in mail, mail
    assert "1,800.00" not in mail
    # To an enterprise's HR user: formal, by their full name.
    assert mail.startswith(f"Geachte {hr.full_name},"), mail[:80]
