"""Yearly compensation statements: per enterprise, the days each reservist served (from
attendance, through the period source) times the rate of the agreement they signed, pro rata
of the reservist's working time there; amounts Defence corrected on review replace those
counted. What Defence pays, into which account and on which date (a setting) goes with it.

One statement = a PDF (through the letter engine, archived) and a CSV. Every enterprise's
statement of a year is made by a letter run of the source below (`flask employers
statements`, or the administrators' letter-run page); `write_files` then puts each
enterprise's archived PDF and its CSV beside the run's print batches.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from stdnum import iban as ibans

from portal import audit, clock, csvsafe, jobs, regions
from portal.accounts.models import User
from portal.employers import effects, periods, terms
from portal.employers.models import Agreement, Employer, StatementReview
from portal.extensions import db
from portal.letters import runs
from portal.letters import services as letters
from portal.letters.models import Letter
from portal.refusals import Refusal


@dataclass(frozen=True)
class Line:
    reservist: str
    served_days: int
    agreed_days: int
    rate: Decimal
    reservist_id: int = 0
    # Working time at the enterprise, in percent of full time (the agreement's).
    work_percent: int = 100
    # The amount Defence set on review of this line, if it corrected it.
    corrected: Decimal | None = None

    @property
    def compensated_days(self) -> int:
        """Days beyond those the agreement releases are not compensated."""
        return min(self.served_days, self.agreed_days)

    @property
    def part_time(self) -> bool:
        return self.work_percent != 100

    @property
    def amount(self) -> Decimal:
        """Rate × days compensated, pro rata of the working time, to the cent."""
        counted = self.rate * self.compensated_days * self.work_percent / 100
        return Decimal(counted).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def due(self) -> Decimal:
        return self.amount if self.corrected is None else self.corrected


CENT = Decimal("0.01")


@dataclass(frozen=True)
class Statement:
    employer: Employer
    year: int
    lines: tuple[Line, ...]
    # The total Defence set on review of the whole statement, if it corrected it.
    corrected_total: Decimal | None = None
    # Whether a request to review it waits for an answer (the amounts may still change).
    open_reviews: bool = False

    @property
    def total(self) -> Decimal:
        """What Defence pays: the lines as counted or corrected, or the corrected total."""
        if self.corrected_total is not None:
            return self.corrected_total
        return sum((line.due for line in self.lines), Decimal("0.00"))

    @property
    def counted_total(self) -> Decimal:
        """The total as counted, before any correction on review."""
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def total_days(self) -> int:
        return sum(line.compensated_days for line in self.lines)

    @property
    def iban(self) -> str | None:
        """The enterprise's account, grouped by four as printed; None until it gives one."""
        return format_iban(self.employer.iban) or None

    @property
    def payment_days(self) -> int:
        return int(current_app.config["EMPLOYER_PAYMENT_DAYS"])

    @property
    def payment_date(self) -> date:
        return payment_date(self.year)

    @property
    def review_deadline(self) -> date:
        return review_deadline(self.year)


def format_iban(value: str | None) -> str:
    return ibans.format(value) if value else ""


def review_deadline(year: int) -> date:
    """The last day to contest the statement of `year`: EMPLOYER_STATEMENT_REVIEW_DAYS after
    the end of that year."""
    days = int(current_app.config["EMPLOYER_STATEMENT_REVIEW_DAYS"])
    return date(year, 12, 31) + timedelta(days=days)


def payment_date(year: int) -> date:
    """When Defence pays the statement of `year`: EMPLOYER_PAYMENT_DAYS after the last day
    it may be contested (so that it pays what the reviews settled)."""
    days = int(current_app.config["EMPLOYER_PAYMENT_DAYS"])
    return review_deadline(year) + timedelta(days=days)


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def _under_review(employer_ids: list[int], year: int) -> set[int]:
    return set(db.session.scalars(db.select(StatementReview.employer_id).where(
        StatementReview.employer_id.in_(employer_ids), StatementReview.year == year,
        StatementReview.answered_at.is_(None))))


def _corrections(employer_ids: list[int], year: int) -> dict[tuple[int, int | None], Decimal]:
    """The amounts Defence corrected on review: (enterprise, line's reservist or None for
    the whole statement) → amount, the latest answer winning."""
    found: dict[tuple[int, int | None], Decimal] = {}
    for review in db.session.scalars(db.select(StatementReview).where(
            StatementReview.employer_id.in_(employer_ids), StatementReview.year == year,
            StatementReview.outcome == "corrected", StatementReview.corrected_cents.is_not(None))
            .order_by(StatementReview.answered_at, StatementReview.id)):
        found[(review.employer_id, review.line_reservist_id)] = terms.euros(
            review.corrected_cents)
    return found


def _agreements(employer_ids: list[int], year: int) -> list[Agreement]:
    """Agreements signed by the end of the year (whatever happened to them since)."""
    end = date(year, 12, 31)
    rows = db.session.scalars(db.select(Agreement).where(
        Agreement.employer_id.in_(employer_ids), Agreement.signed_at.is_not(None))
        .order_by(Agreement.employer_id, Agreement.id))
    return [a for a in rows if a.signed_at.date() <= end]


def statements_for(employer_ids: list[int], year: int) -> list[Statement]:
    agreements = _agreements(employer_ids, year)
    served = periods.source().served_days(sorted({a.reservist_id for a in agreements}), year)
    users = {u.id: u for u in db.session.scalars(
        db.select(User).where(User.id.in_({a.reservist_id for a in agreements})))}
    corrections = _corrections(employer_ids, year)
    under_review = _under_review(employer_ids, year)
    by_employer: dict[int, list[Line]] = {}
    for a in agreements:
        by_employer.setdefault(a.employer_id, []).append(Line(
            reservist=users[a.reservist_id].full_name,
            served_days=served.get(a.reservist_id, 0), agreed_days=a.terms.days_per_year,
            rate=terms.euros(a.terms.compensation_cents), reservist_id=a.reservist_id,
            work_percent=a.work_percent,
            corrected=corrections.get((a.employer_id, a.reservist_id))))
    employers = {e.id: e for e in db.session.scalars(
        db.select(Employer).where(Employer.id.in_(employer_ids)))}
    return [Statement(employers[i], year, tuple(sorted(by_employer.get(i, []),
                                                        key=lambda line: line.reservist)),
                      corrected_total=corrections.get((i, None)),
                      open_reviews=i in under_review)
            for i in employer_ids if i in employers]


def statement_for(employer: Employer, year: int) -> Statement:
    return statements_for([employer.id], year)[0]


def to_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["enterprise_number", "enterprise", "year", "reservist", "served_days",
                     "agreed_days_per_year", "compensated_days", "rate_eur", "work_percent",
                     "amount_eur", "corrected_amount_eur", "iban", "payment_date"])
    employer = statement.employer
    paid_on = statement.payment_date.isoformat()
    for line in statement.lines:
        writer.writerow([employer.formatted_number, csvsafe.cell(employer.name), statement.year,
                         csvsafe.cell(line.reservist), line.served_days, line.agreed_days,
                         line.compensated_days, f"{line.rate:.2f}", line.work_percent,
                         f"{line.amount:.2f}",
                         "" if line.corrected is None else f"{line.corrected:.2f}",
                         employer.iban or "", paid_on])
    return out.getvalue()


def _recipient(employer: Employer):
    """The enterprise as its statement is addressed: see effects.recipient; printed online
    only (no address in the window) when it has no deliverable postal address."""
    return letters.for_delivery(effects.recipient(employer))


def languages(employer: Employer) -> tuple[str, ...]:
    return regions.REGISTER_LANGUAGES.get(employer.language, regions.REGISTER_LANGUAGES["nl"])


def render_pdf(statement: Statement, reference: str) -> tuple[bytes, int]:
    recipient, _delivery = _recipient(statement.employer)
    return letters.render_letter(
        "statement", recipient=recipient,
        context={"statement": statement, "employer": statement.employer, "title": "statement",
                 "formal": True},
        languages=languages(statement.employer), reference=reference)


def issue(statement: Statement, actor=None, rendered: tuple[str, bytes, int] | None = None):
    """Render (unless `rendered` gives reference, bytes, pages) and archive the statement as a
    letter of kind `statement` (flushes)."""
    if rendered is None:
        reference = letters.new_reference("statement")
        rendered = (reference, *render_pdf(statement, reference))
    reference, pdf, pages = rendered
    letter = letters.store("statement", pdf=pdf, page_count=pages, reference=reference,
                           languages=languages(statement.employer), actor=actor,
                           subject=("Employer", statement.employer.id),
                           delivery=_recipient(statement.employer)[1])
    audit.record(actor, "letter.issued", letter, kind="statement", reference=reference,
                 year=statement.year, employer_id=statement.employer.id)
    return letter


def file_stem(statement: Statement) -> str:
    return f"statement-{statement.year}-{statement.employer.enterprise_number}"


CHUNK = 200


# ------------------------------------------------------------------ the yearly run


class StatementRun(runs.RunSource):
    """Every enterprise's statement of a year, as a letter run: print batches in postcode
    order with their manifest, each statement archived, resumable, on the run's workers.
    A statement's table of lines differs from one enterprise to the next, so each is laid
    out in full. An enterprise without a deliverable postal address gets its statement
    online only (archived for its employer space, never in a batch)."""

    name = "statement"
    kind = "statement"
    label = _l("Compensation statements")
    nothing_to_print = _l("Nothing to print: every enterprise with an agreement signed by "
                          "the end of this year already has its statement.")
    delivery = None
    laid_out_per_letter = True

    def scopes(self) -> list[tuple[int, str]]:
        """The years that are over, from the last back to the first agreement's."""
        first = db.session.scalar(db.select(db.func.min(Agreement.signed_at)))
        if first is None:
            return []
        return [(year, str(year)) for year in range(clock.today().year - 1, first.year - 1, -1)]

    def refusal(self, scope_id: int) -> str | None:
        # A statement counts the days served in the whole year: one made earlier would be
        # printed, archived and paid short.
        if scope_id >= clock.today().year:
            return _("The statements of %(year)s are made once that year is over, from "
                     "%(date)s.", year=scope_id,
                     date=format_date(date(scope_id + 1, 1, 1), "long"))
        return None

    def find_scope(self, label: str) -> int | None:
        label = label.strip()
        return int(label) if label.isdigit() and len(label) == 4 else None

    def scope(self, scope_id: int) -> int:
        return scope_id

    def recipients(self, scope_id: int, reprint: bool = False):
        query = db.select(Employer.id).where(Employer.id.in_(_signed_by(scope_id)))
        if not reprint:  # a later run letters only the enterprises still without one
            query = query.where(~Employer.id.in_(_lettered(scope_id)))
        return query.order_by(Employer.postcode, Employer.id)

    def reprint(self, letter: Letter, actor, reason: str) -> Letter:
        employer = db.session.get(Employer, int(letter.subject_id or 0))
        job = db.session.get(jobs.Job, letter.job_id) if letter.job_id else None
        if employer is None or job is None:
            raise Refusal(_("This statement was not made by a yearly run: show the "
                            "enterprise's statement from its page instead."))
        new = issue(statement_for(employer, runs.Params.of(job).scope_id), actor=actor)
        audit.record(actor, "letter.reprinted", new, replaces=letter.reference, reason=reason)
        return new

    def load(self, keys: Sequence[int]) -> dict[int, Employer]:
        return {e.id: e for e in db.session.scalars(
            db.select(Employer).where(Employer.id.in_(list(keys))))}

    def recipient(self, item: Employer) -> letters.Recipient:
        return effects.recipient(item)

    def describe(self, key: int) -> str:
        return f"enterprise {key}"

    def context(self, scope: int, letter_date: date) -> dict:
        return {"year": scope}

    def letter(self, item: Employer, scope: int) -> runs.RunLetter:
        return runs.RunLetter(
            recipient=self.recipient(item), reference=letters.new_reference(self.kind),
            languages=languages(item), subject=("Employer", item.id))

    def letter_context(self, item: Employer, scope: int, letter_date: date) -> dict:
        statement = statement_for(item, scope)
        return {"statement": statement, "employer": item, "title": "statement",
                "formal": True, "letter_date": letter_date}


def _signed_by(year: int):
    """The enterprises with an agreement signed by the end of `year`."""
    return db.select(Agreement.employer_id).where(
        Agreement.signed_at.is_not(None), Agreement.signed_at <= _end_of(date(year, 12, 31)))


def _lettered(year: int):
    """The enterprises a run of `year` has already archived a statement for."""
    return db.select(db.cast(Letter.subject_id, db.Integer)).where(
        Letter.kind == StatementRun.kind, Letter.subject_type == "Employer",
        Letter.job_id.in_(runs.runs_of(StatementRun.name, year)))


def _end_of(day: date):
    return datetime.combine(day, clock_time(23, 59, 59), tzinfo=UTC)


SOURCE = StatementRun()


def write_files(year: int, out: Path) -> int:
    """Each enterprise's statement of `year` as files beside the run's print batches: the
    PDF its run archived (byte for byte, not rendered again) and the CSV of its lines for
    the payment. Returns the number of files written."""
    out.mkdir(parents=True, exist_ok=True)
    archived: dict[int, Letter] = {}
    for letter in db.session.scalars(db.select(Letter).where(
            Letter.kind == StatementRun.kind, Letter.subject_type == "Employer",
            Letter.job_id.in_(runs.runs_of(StatementRun.name, year))).order_by(Letter.id)
            .execution_options(yield_per=200)):
        archived[int(letter.subject_id)] = letter  # a reprint's replaces the earlier one
    ids = sorted(archived)
    files = 0
    for first in range(0, len(ids), CHUNK):
        for statement in statements_for(ids[first:first + CHUNK], year):
            stem = file_stem(statement)
            (out / f"{stem}.pdf").write_bytes(archived[statement.employer.id].pdf)
            (out / f"{stem}.csv").write_text(to_csv(statement), encoding="utf-8-sig")
            files += 2
        db.session.expire_all()
    return files
