"""A reservist without an employer who works for themselves declares it (enterprise number
and account, checked, audited) on their employer page and gets a yearly statement of their
own: days served × Defence's rate for the self-employed, paid into their account on the
statements' payment date; page and PDF addressed to them; nobody else's."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.audit import AuditEvent
from portal.employers import self_employed
from portal.employers.models import SelfEmployment
from portal.extensions import db
from tests.employers import helpers
from tests.support.client import login, post_form
from tests.support.letters import pdf_text

PAGE = "/reserve/employer/"
YEAR = date.today().year


@pytest.fixture
def reservist(app, calendar):
    user = helpers.reservist(language="nl", first_name="An", last_name="Peeters")
    calendar.served[(user.id, YEAR)] = 6
    db.session.commit()
    return user


def _declare(client, number="0400.000.086", iban="BE71 0961 2345 6769"):
    return post_form(client, "/reserve/employer/self-employed",
                     {"self-enterprise_number": number, "self-iban": iban}, page=PAGE)


def test_a_self_employed_reservist_declares_it_and_gets_their_own_statement(app, client,
                                                                            reservist,
                                                                            monkeypatch):
    monkeypatch.setitem(app.config, "SELF_EMPLOYED_COMPENSATION_CENTS", 9050)
    login(client, reservist)
    assert 'action="/reserve/employer/self-employed"' in client.get(PAGE).get_data(
        as_text=True)
    response = _declare(client)
    assert response.status_code == 302
    row = db.session.scalar(db.select(SelfEmployment))
    assert (row.reservist_id, row.enterprise_number, row.iban) == (
        reservist.id, "0400000086", "BE71096123456769")
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "self_employment.declared"))
    assert event is not None and "0961" not in event.details
    page = client.get(PAGE).get_data(as_text=True)
    url = f"/reserve/employer/self-employed/statements/{YEAR}"
    assert url in page
    statement = client.get(url).get_data(as_text=True)
    assert "543,00" in statement or "543.00" in statement  # 6 days × € 90.50
    assert "BE71 0961 2345 6769" in statement
    paid = self_employed.statement_for(reservist, YEAR).payment_date
    assert paid == date(YEAR, 12, 31) + timedelta(
        days=app.config["EMPLOYER_STATEMENT_REVIEW_DAYS"] + app.config["EMPLOYER_PAYMENT_DAYS"])
    pdf = client.get(f"{url}.pdf")
    assert pdf.mimetype == "application/pdf" and "no-store" in pdf.headers["Cache-Control"]
    text = " ".join(pdf_text(pdf.data).split())
    assert "An Peeters" in text and "543,00" in text and "BE71 0961 2345 6769" in text
    assert self_employed.statement_for(reservist, YEAR).total == Decimal("543.00")


def test_a_wrong_number_or_account_is_refused_and_nothing_is_saved(client, reservist):
    login(client, reservist)
    wrong = _declare(client, number="0400000087")
    assert wrong.status_code == 400 and "bestaat niet" in wrong.get_data(as_text=True)
    missing = _declare(client, iban="")
    assert missing.status_code == 400
    assert db.session.scalar(db.select(SelfEmployment)) is None


def test_stopping_keeps_the_years_before_and_others_see_nothing(client, reservist):
    login(client, reservist)
    _declare(client)
    url = f"/reserve/employer/self-employed/statements/{YEAR}"
    other = helpers.reservist(language="en")
    db.session.commit()
    login(client, other)
    assert client.get(url).status_code == 404  # not self-employed: no statement of theirs
    assert client.get(f"/reserve/employer/self-employed/statements/{YEAR - 1}").status_code \
        == 404
    login(client, reservist)
    assert post_form(client, "/reserve/employer/self-employed/stop", page=PAGE
                     ).status_code == 302
    row = db.session.scalar(db.select(SelfEmployment))
    assert row.ended_on == date.today()
    assert client.get(url).status_code == 200  # this year's days until today stay
    assert client.get(f"/reserve/employer/self-employed/statements/{YEAR + 1}").status_code \
        == 404


def test_the_declaration_is_in_the_reservists_export_and_goes_with_their_erasure(client,
                                                                                 reservist):
    from portal.employers import privacy
    from portal.models import utcnow

    login(client, reservist)
    _declare(client)
    exported = privacy.export(reservist)
    assert exported["self_employment"][0]["enterprise_number"] == "0400.000.086"
    privacy.erase(reservist, None, utcnow())
    assert db.session.scalar(db.select(SelfEmployment)) is None
