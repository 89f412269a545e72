"""Yearly compensation statements: per enterprise, the days each reservist served (from
attendance, through the period source) times the rate of the agreement they signed.

One statement = a PDF (through the letter engine, archived) and a CSV. `run()` writes both
for every enterprise with a signed agreement; spread over LETTER_WORKERS spawned processes.
"""
from __future__ import annotations

import csv
import io
import multiprocessing
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

from flask import current_app

from portal import audit, csvsafe, jobs, regions
from portal.accounts.models import User
from portal.employers import effects, periods, terms
from portal.employers.models import Agreement, Employer
from portal.extensions import db
from portal.letters import services as letters


@dataclass(frozen=True)
class Line:
    reservist: str
    served_days: int
    agreed_days: int
    rate: Decimal
    reservist_id: int = 0

    @property
    def compensated_days(self) -> int:
        """Days beyond those the agreement releases are not compensated."""
        return min(self.served_days, self.agreed_days)

    @property
    def amount(self) -> Decimal:
        return self.rate * self.compensated_days


@dataclass(frozen=True)
class Statement:
    employer: Employer
    year: int
    lines: tuple[Line, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def total_days(self) -> int:
        return sum(line.compensated_days for line in self.lines)


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
    by_employer: dict[int, list[Line]] = {}
    for a in agreements:
        by_employer.setdefault(a.employer_id, []).append(Line(
            reservist=users[a.reservist_id].full_name,
            served_days=served.get(a.reservist_id, 0), agreed_days=a.terms.days_per_year,
            rate=terms.euros(a.terms.compensation_cents), reservist_id=a.reservist_id))
    employers = {e.id: e for e in db.session.scalars(
        db.select(Employer).where(Employer.id.in_(employer_ids)))}
    return [Statement(employers[i], year, tuple(sorted(by_employer.get(i, []),
                                                        key=lambda line: line.reservist)))
            for i in employer_ids if i in employers]


def statement_for(employer: Employer, year: int) -> Statement:
    return statements_for([employer.id], year)[0]


def to_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["enterprise_number", "enterprise", "year", "reservist", "served_days",
                     "agreed_days_per_year", "compensated_days", "rate_eur", "amount_eur"])
    employer = statement.employer
    for line in statement.lines:
        writer.writerow([employer.formatted_number, csvsafe.cell(employer.name), statement.year,
                         csvsafe.cell(line.reservist), line.served_days, line.agreed_days,
                         line.compensated_days, f"{line.rate:.2f}", f"{line.amount:.2f}"])
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
        with context.Pool(workers, initializer=_init_worker,
                          initargs=(jobs.picklable_config(current_app),)) as pool:
            for count in pool.imap_unordered(_pool_chunk, [(c, year, str(out)) for c in chunks]):
                files += count
    return RunResult(len(ids), files, time.perf_counter() - started)


_worker_app = None


def _init_worker(config: dict) -> None:
    global _worker_app
    from portal import create_app  # the app factory names this domain: import it late

    _worker_app = create_app(config)
    _worker_app.app_context().push()


def _pool_chunk(args) -> int:
    employer_ids, year, out = args
    try:
        return write_chunk(employer_ids, year, Path(out))
    except Exception as exc:  # database errors carry unpicklable parameters (the PDF bytes)
        raise RuntimeError(f"statements of enterprises {employer_ids[0]}–{employer_ids[-1]}: "
                           f"{type(exc).__name__}: {str(exc)[:300]}") from None
    finally:
        db.session.remove()
