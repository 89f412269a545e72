"""Yearly compensation statements: per enterprise, the days each reservist served (from
attendance, through the period source) times the rate of the agreement they signed, pro rata
of the reservist's working time there; amounts Defence corrected on review replace those
counted. What Defence pays, into which account and on which date (a setting) goes with it.

One statement = a PDF (through the letter engine, archived) and a CSV. `run()` writes both
for every enterprise with a signed agreement; spread over LETTER_WORKERS spawned processes.
"""
from __future__ import annotations

import csv
import io
import multiprocessing
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from flask import current_app
from stdnum import iban as ibans

from portal import audit, csvsafe, jobs, regions
from portal.accounts.models import User
from portal.employers import effects, periods, terms
from portal.employers.models import Agreement, Employer, StatementReview
from portal.extensions import db
from portal.letters import services as letters


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


# ------------------------------------------------------------------ the bulk run


@dataclass(frozen=True)
class RunResult:
    enterprises: int
    files: int
    seconds: float


CHUNK = 50


def employer_ids_with_agreements(year: int) -> list[int]:
    end = date(year, 12, 31)
    ids = db.session.scalars(db.select(Agreement.employer_id).where(
        Agreement.signed_at.is_not(None), Agreement.signed_at <= _end_of(end))
        .distinct().order_by(Agreement.employer_id))
    return list(ids)


def _end_of(day: date):
    return datetime.combine(day, clock(23, 59, 59), tzinfo=UTC)


def write_chunk(employer_ids: list[int], year: int, out: Path) -> int:
    """Render, write and archive the statements of these enterprises; commits. Returns the
    number of files. Everything is rendered before the first write, so the transaction that
    archives them is short (SQLite has one writer at a time)."""
    rendered = []
    for statement in statements_for(employer_ids, year):
        reference = letters.new_reference("statement")
        pdf, pages = render_pdf(statement, reference)
        stem = file_stem(statement)
        (out / f"{stem}.pdf").write_bytes(pdf)
        (out / f"{stem}.csv").write_text(to_csv(statement), encoding="utf-8-sig")
        rendered.append((statement, (reference, pdf, pages)))
    for statement, letter in rendered:
        issue(statement, rendered=letter)
    db.session.commit()
    return 2 * len(rendered)


def run(year: int, out: Path, workers: int | None = None) -> RunResult:
    """Every enterprise's statement of the year, in chunks over `workers` processes."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    ids = employer_ids_with_agreements(year)
    chunks = [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
    workers = min(workers or int(current_app.config["LETTER_WORKERS"]), len(chunks))
    files = 0
    if workers <= 1:
        for chunk in chunks:
            files += write_chunk(chunk, year, out)
    else:
        context = multiprocessing.get_context("spawn")  # never fork a process holding WeasyPrint
        with context.Pool(workers, initializer=current_app.extensions["start_worker"],
                          initargs=(jobs.picklable_config(current_app), _init_worker)) as pool:
            for count in pool.imap_unordered(_pool_chunk, [(c, year, str(out)) for c in chunks]):
                files += count
    return RunResult(len(ids), files, time.perf_counter() - started)


_worker_app = None


def _init_worker(app) -> None:
    """A pool worker's own set-up, once its app is built (portal.start_worker)."""
    global _worker_app
    _worker_app = app


def _pool_chunk(args) -> int:
    employer_ids, year, out = args
    try:
        return write_chunk(employer_ids, year, Path(out))
    except Exception as exc:  # database errors carry unpicklable parameters (the PDF bytes)
        raise RuntimeError(f"statements of enterprises {employer_ids[0]}–{employer_ids[-1]}: "
                           f"{type(exc).__name__}: {str(exc)[:300]}") from None
    finally:
        db.session.remove()
