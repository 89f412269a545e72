"""Self-employed reservists: no employer releases them, so they declare that they work for
themselves (their enterprise number, the account to pay into) and get a yearly statement of
their own, addressed to them: the days they served × SELF_EMPLOYED_COMPENSATION_CENTS
(Defence's setting), paid on the same date as the enterprises' statements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _

from portal import audit, regions
from portal.employers import enterprise, periods, statements, terms
from portal.employers.models import SelfEmployment
from portal.extensions import db
from portal.letters import services as letters
from portal.refusals import Refusal


def current(reservist_id: int) -> SelfEmployment | None:
    return db.session.scalar(db.select(SelfEmployment).where(
        SelfEmployment.reservist_id == reservist_id))


def declare(reservist, number: str, iban: str, today: date) -> SelfEmployment:
    """The reservist says they are self-employed (or corrects the number or account).
    Flushes."""
    number = enterprise.enterprise_number(number)
    account = enterprise.bank_account(iban)
    if account is None:
        raise Refusal(_("Give the account Defence pays your compensation into."), "iban")
    row = current(reservist.id)
    if row is None:
        row = SelfEmployment(reservist_id=reservist.id, declared_on=today,
                             enterprise_number=number, iban=account)
        db.session.add(row)
    else:
        if row.ended_on is not None:
            row.declared_on, row.ended_on = today, None
        row.enterprise_number, row.iban = number, account
    db.session.flush()
    audit.record(reservist, "self_employment.declared", row, enterprise_number=number,
                 iban=f"{account[:2]} … {account[-4:]}")
    return row


def stop(reservist, today: date) -> bool:
    row = current(reservist.id)
    if row is None or row.ended_on is not None:
        return False
    row.ended_on = today
    db.session.flush()
    audit.record(reservist, "self_employment.stopped", row)
    return True


@dataclass(frozen=True)
class Statement:
    """A self-employed reservist's yearly statement."""

    row: SelfEmployment
    name: str
    year: int
    line: statements.Line

    @property
    def total(self):
        return self.line.due

    @property
    def iban(self) -> str:
        return statements.format_iban(self.row.iban)

    @property
    def payment_date(self) -> date:
        return statements.payment_date(self.year)

    @property
    def review_deadline(self) -> date:
        return statements.review_deadline(self.year)

    @property
    def payment_days(self) -> int:
        return int(current_app.config["EMPLOYER_PAYMENT_DAYS"])


def statement_for(reservist, year: int) -> Statement | None:
    """The statement of `year`, if the reservist was self-employed in it."""
    row = current(reservist.id)
    if row is None or not row.covers(year):
        return None
    served = periods.source().served_days([reservist.id], year).get(reservist.id, 0)
    rate = terms.euros(int(current_app.config["SELF_EMPLOYED_COMPENSATION_CENTS"]))
    line = statements.Line(reservist=reservist.full_name, served_days=served,
                           agreed_days=served, rate=rate, reservist_id=reservist.id)
    return Statement(row, reservist.full_name, year, line)


def years(reservist, today: date) -> list[int]:
    """The years with a statement: from the declaration until it stopped (or this year)."""
    row = current(reservist.id)
    if row is None:
        return []
    last = row.ended_on.year if row.ended_on is not None else today.year
    return list(range(last, row.declared_on.year - 1, -1))


def render_pdf(reservist, statement: Statement, reference: str) -> tuple[bytes, int]:
    """The statement as a letter to the reservist, in their languages."""
    person = getattr(reservist, "person", None)
    to = (letters.Recipient.from_person(person) if person is not None else
          letters.Recipient(name=reservist.full_name, address_lines=(), postcode="",
                            first_name=reservist.first_name or None))
    recipient, _delivery = letters.for_delivery(to)
    return letters.render_letter(
        "self_statement", recipient=recipient,
        context={"statement": statement, "formal": False},
        languages=regions.REGISTER_LANGUAGES.get(reservist.language,
                                                 regions.REGISTER_LANGUAGES["nl"]),
        reference=reference)
