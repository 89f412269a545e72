"""Letter runs: the letters of a whole group in print batches sorted by postcode, each
letter archived on its own, resumable after a crash, spread over processes or RQ workers.

The engine knows no domain. Who is in a run, which template and which personal fields
come from a run source (`RunSource`) that a domain declares in its
`Domain(run_sources=...)` (portal.domains; invitations: a cohort's invitation letters and
the reminder; employers: a year's compensation statements, each laid out in full, online
only for an enterprise the post cannot reach).

A run is a Job. Its recipients are fixed when it starts, as numbered run items in postcode
order; item N belongs to batch N // batch_size. A batch is rendered, written to
`batch-NNNN.pdf.part`, archived in one database transaction (with its RunBatch row and the
file's checksum), renamed, then recorded final. A batch is done when it is final and its
files exist; one whose letters are archived but whose files are not final is rebuilt from
the archive when the run resumes, never re-rendered. The run's manifest.csv is written
once, by whoever settles the last batch (under the job's row lock), from final batches
checked against the database.
"""
from __future__ import annotations

import csv
import hashlib
import json
import logging
import math
import os
import secrets
import shutil
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import StringIO
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError

from portal import audit, clock, csvsafe, domains, jobs, locking
from portal.extensions import db
from portal.jobs import Job
from portal.letters import limits, services
from portal.letters.models import Letter, RunBatch, RunItem
from portal.letters.pdf import archive, vdp
from portal.letters.variants import Variant
from portal.models import utcnow
from portal.refusals import Refusal

KIND = "letter_run"
# The state of a batch whose print files were deleted after the retention period: its
# letters stay in the archive, the printer's copy is gone.
PURGED = "purged"
# pages: the letter's own; blank_pages: added after it so that the next letter starts on a
# front side (duplex); sheets: paper the inserter puts in its envelope.
# first_page, last_page: the pages of the batch file its sheets take (a blank back
# included); batch_sha256: the SHA-256 of that batch file.
MANIFEST_FIELDS = ("batch", "position", "reference", "name", "postcode", "pages",
                   "blank_pages", "sheets", "first_page", "last_page", "languages",
                   "batch_sha256")


def _paper(pages: int) -> tuple[int, int, int]:
    blank = vdp.blank_pages(pages)
    return pages, blank, (pages + blank) // 2
log = logging.getLogger(__name__)


@dataclass
class RunLetter:
    """One letter of a run as its source describes it."""

    recipient: services.Recipient
    reference: str
    fields: dict[str, str] = field(default_factory=dict)  # the kind's own slots (e.g. code)
    qr_url: str | None = None
    languages: tuple[str, ...] | None = None  # default: the recipient's
    # Stored with the archived letter: whose it is and what it belongs to. `subject` may be
    # an object the source creates and flushes in `done()`.
    person: object = None
    cohort: object = None
    subject: object = None


class RunSource(ABC):
    """What a domain tells the run machinery about the letters it sends in bulk.

    Subclasses set `name` (stored in the run's parameters) and `kind` (the template), and
    implement the methods below. Every method runs inside an app context; none commits.
    """

    name: str = ""
    kind: str = ""
    label: str = ""  # what the administrators' run page calls these letters
    # What the run page says when everyone of the group already has a letter.
    nothing_to_print = _l("Nothing to print: everyone here already has a letter.")
    # services.POST: a recipient whose address the post cannot deliver fails in the run
    # report (a letter that carries a code only reaches them by post). None: such a letter
    # is archived for online delivery only (their own space), never in a print batch.
    delivery: str | None = services.POST
    # True for a kind whose letters differ in more than their slots (a statement's table of
    # lines): each letter is laid out in full from `letter_context`, in this process under
    # the render limits, instead of being filled into the run's one layout. Slower (a
    # layout per letter), with the same batches, archive, manifest and resumption.
    laid_out_per_letter: bool = False

    @abstractmethod
    def scopes(self) -> list[tuple[int, str]]:
        """The groups a run can be started for (e.g. cohorts), as (id, label)."""

    @abstractmethod
    def find_scope(self, label: str) -> int | None:
        """The id of the group with this name (for the command line), or None."""

    @abstractmethod
    def scope(self, scope_id: int):
        """The group itself, handed back to `context` and `letter`."""

    @abstractmethod
    def recipients(self, scope_id: int, reprint: bool = False) -> Select:
        """A query of the keys of everyone the run letters, in print (postcode) order: those
        who have no letter yet, or with `reprint` everyone who may get one again."""

    def refusal(self, scope_id: int) -> str | None:
        """Why no run may start for this group now (e.g. its codes have expired), or None."""
        return None

    @abstractmethod
    def reprint(self, letter: Letter, actor, reason: str) -> Letter:
        """A new letter in place of `letter` (lost, new address), rendered in full and
        archived; raises Refusal when that person may not get one."""

    @abstractmethod
    def load(self, keys: Sequence[int]) -> dict[int, object]:
        """The recipients of a batch by key."""

    @abstractmethod
    def recipient(self, item) -> services.Recipient:
        """Who a recipient is, as printed in the envelope window and the manifest."""

    def describe(self, key: int) -> str:
        """How the run report names a recipient (no personal data), e.g. "person 12"."""
        return f"{self.name} {key}"

    @abstractmethod
    def context(self, scope, letter_date: date) -> dict:
        """What every letter of the run shares (one layout per language order)."""

    @abstractmethod
    def letter(self, item, scope) -> RunLetter:
        """One recipient's letter: address, reference, personal fields."""

    def letter_context(self, item, scope, letter_date: date) -> dict:
        """With `laid_out_per_letter`: the template context of one recipient's letter; by
        default what every letter of the run shares, a source adds the recipient's own."""
        return self.context(scope, letter_date)

    def done(self, letters: list[RunLetter]) -> None:  # noqa: B027 (optional hook)
        """Called in the transaction that archives a batch, before its letters are stored
        (e.g. to store the invitations whose codes they print)."""


def sources() -> dict[str, RunSource]:
    """The run sources of the app's domains, by name."""
    return {source.name: source
            for source in domains.declared(current_app, "run_sources")}


def source_of(job: Job) -> RunSource:
    return sources()[Params.of(job).source]


@dataclass(frozen=True)
class Params:
    source: str
    scope_id: int
    out: str
    batch_size: int
    letter_date: str
    reprint: bool = False

    @classmethod
    def of(cls, job: Job) -> Params:
        data = json.loads(job.params)
        if "cohort_id" in data:  # runs started before run sources existed
            data = {"source": "invitation", "scope_id": data["cohort_id"],
                    **{k: data[k] for k in ("out", "batch_size", "letter_date")}}
        return cls(**data)

    def batch_count(self, total: int) -> int:
        return max(1, math.ceil(total / self.batch_size))

    def files(self, number: int) -> tuple[Path, Path]:
        stem = Path(self.out) / f"batch-{number + 1:04d}"
        return stem.with_suffix(".pdf"), stem.with_suffix(".csv")


def runs_of(source: str, scope_id: int) -> Select:
    """A query of the ids of every run of this source for this group."""
    prefix = json.dumps({"source": source, "scope_id": scope_id})[:-1] + ","
    return db.select(Job.id).where(Job.kind == KIND, Job.params.like(prefix + "%"))


def open_run(source: str, scope_id: int) -> Job | None:
    """The group's unfinished run, if one was interrupted. A run that went to its end with
    some letters failed is finished: the next run letters whoever still has none."""
    for job in db.session.scalars(
            db.select(Job).where(Job.id.in_(runs_of(source, scope_id)),
                                 Job.state.in_(("queued", "running", "finishing", "failed")))
            .order_by(Job.id.desc())):
        if job.state != "failed" or job.finished_at is None or pending(job):
            return job
    return None


class NothingToPrint(Exception):
    """Everyone the source would letter in this group already has a letter."""


def start(source: str, scope_id: int, out: str | os.PathLike, actor,
          batch_size: int | None = None, letter_date: date | None = None,
          reprint: bool = False, reason: str | None = None) -> Job:
    """A new run for everyone of the group who has no letter yet, or with `reprint` for
    everyone again (their earlier letters' codes revoked; `reason` is audited). Raises
    NothingToPrint when nobody is left to letter. Flushes, never commits."""
    run_source = sources()[source]
    refused = run_source.refusal(scope_id)
    if refused:
        raise Refusal(refused, "scope")
    keys = db.session.scalars(run_source.recipients(scope_id, reprint=reprint)).all()
    if not keys:
        raise NothingToPrint(_scope_label(run_source, scope_id))
    params = Params(source=source, scope_id=scope_id, out=str(Path(out).resolve()),
                    batch_size=batch_size or current_app.config["LETTER_BATCH_SIZE"],
                    letter_date=(letter_date or clock.today()).isoformat(), reprint=reprint)
    job = Job(kind=KIND, state="queued", total=0, params=json.dumps(params.__dict__),
              created_by_id=getattr(actor, "id", None))
    db.session.add(job)
    db.session.flush()
    size = params.batch_size
    for first in range(0, len(keys), 5000):
        db.session.execute(db.insert(RunItem), [
            {"job_id": job.id, "position": n, "batch": n // size, "key": k}
            for n, k in enumerate(keys[first:first + 5000], first)])
    job.total = len(keys)
    audit.record(actor, "letters.run_started", job, source=source,
                 scope=_scope_label(run_source, scope_id), total=job.total, out=params.out,
                 **({"reprint": True, "reason": reason} if reprint else {}))
    return job


def reprint(reference: str, actor, reason: str) -> Letter:
    """A new letter in place of the one with this reference, through its run source.
    Raises LookupError for an unknown reference, Refusal when the source refuses."""
    letter = db.session.scalar(db.select(Letter).where(Letter.reference == reference.strip()))
    source = next((s for s in sources().values() if letter and s.kind == letter.kind), None)
    if letter is None or source is None:
        raise LookupError(reference)
    return source.reprint(letter, actor, reason)


def _scope_label(source: RunSource, scope_id: int) -> str:
    return dict(source.scopes()).get(scope_id, str(scope_id))


def _items(job_id: int, number: int) -> list[RunItem]:
    return list(db.session.scalars(db.select(RunItem).where(
        RunItem.job_id == job_id, RunItem.batch == number).order_by(RunItem.position)))


_variants: dict[tuple, Variant] = {}


def _variant(job_id: int, source: RunSource, scope, params: Params, languages) -> Variant:
    # Keyed on what the layout shows, not only on the run: a job id can come again (a
    # restored or emptied database), and the context follows settings such as BASE_URL.
    context = source.context(scope, date.fromisoformat(params.letter_date))
    key = (job_id, source.kind, languages,
           json.dumps(context, sort_keys=True, default=str))
    if key not in _variants:
        if len(_variants) > 32:
            _variants.clear()
        _variants[key] = Variant.kept(_layouts(job_id), source.kind, languages, context)
    return _variants[key]


def _layouts(job_id: int) -> Path:
    """Where the processes of a run keep its layouts (variants.Variant.kept) while it runs."""
    return Path(current_app.instance_path) / "letter-layouts" / str(job_id)


def _manifest_rows(number: int, rows, sha256: str) -> str:
    """A batch's lines of the manifest: `rows` are (reference, name, postcode, pages,
    blank pages, sheets, languages) in print order; each line gets the pages of the batch
    file its sheets take and the checksum of that file."""
    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    first = 1
    for position, row in enumerate(rows, 1):
        reference, name, postcode, pages, blank, sheets, languages = row
        last = first + pages + blank - 1
        writer.writerow((number + 1, position, *csvsafe.row((reference, name, postcode)),
                         pages, blank, sheets, first, last, csvsafe.cell(languages), sha256))
        first = last + 1
    return buffer.getvalue()


def _file_facts(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest(), path.stat().st_size


@dataclass
class _Made:
    item: RunItem
    letter: RunLetter
    parts: vdp.LetterParts
    pdf: bytes
    languages: tuple[str, ...]
    delivery: str = services.POST

    @property
    def printed(self) -> bool:
        return self.delivery == services.POST


def _make(job_id: int, source: RunSource, scope, params: Params, item: RunItem,
          recipient) -> _Made:
    """One recipient's letter, rendered and made archivable (not yet stored)."""
    letter = source.letter(recipient, scope)
    # A run prints for the post: an address it cannot deliver is this letter's failure in
    # the run report (IncompleteAddress), unless the source sends such letters online.
    letter.recipient, delivery = services.for_delivery(letter.recipient, source.delivery)
    languages = tuple(letter.languages or letter.recipient.languages())
    if source.laid_out_per_letter:
        context = source.letter_context(recipient, scope,
                                        date.fromisoformat(params.letter_date))
        with limits.guarded():
            pdf, _pages = services.render_here(
                source.kind, recipient=letter.recipient, context=context,
                languages=languages, reference=letter.reference, slots=letter.fields)
        return _Made(item, letter, vdp.archived_parts(pdf, languages), pdf, languages,
                     delivery)
    # The run's layout of this language order is made once (its first letter waits for
    # it, unlimited: it shows no recipient's data); each letter is limited.
    variant = _variant(job_id, source, scope, params, languages)
    with limits.guarded():
        parts = variant.compose(letter.recipient, letter.reference, letter.fields,
                                letter.qr_url)
        pdf = archive.letter_pdf(parts)
    return _Made(item, letter, parts, pdf, languages, delivery)


def _batch_row(job_id: int, number: int) -> RunBatch | None:
    return db.session.get(RunBatch, (job_id, number), populate_existing=True)


def process_batch(job_id: int, number: int, recover: bool = False) -> tuple[int, int]:
    """Render, print and archive one batch; returns (letters done, letters failed) by this
    call. A batch already in place is skipped. One whose letters are archived but whose
    files are not final is left to the worker that archived it, or, with `recover` (a run
    resumed after a crash: nobody else is at work on it), rebuilt from the archive."""
    job = db.session.get(Job, job_id)
    params = Params.of(job)
    pdf_path, csv_path = params.files(number)
    row = _batch_row(job_id, number)
    if row is not None and (row.state == PURGED or (
            row.state == "final" and pdf_path.exists() and csv_path.exists())):
        return 0, 0
    items = _items(job_id, number)
    if any(item.letter_id is not None for item in items):
        if recover:
            _rebuild_from_archive(job, params, number, items)
            db.session.commit()
        return 0, 0
    source = sources()[params.source]
    scope = source.scope(params.scope_id)
    recipients = source.load([item.key for item in items])
    made: list[_Made] = []
    failures: list[tuple[RunItem, str]] = []
    for item in items:
        try:
            recipient = recipients.get(item.key)
            if recipient is None:
                raise LookupError("no longer in the register")
            made.append(_make(job_id, source, scope, params, item, recipient))
        except Exception as exc:  # one bad record must not stop the other 149,999
            failures.append((item, f"{type(exc).__name__}: {exc}"))
    Path(params.out).mkdir(parents=True, exist_ok=True)
    # Unique part names: should two workers ever take the same batch, the database lets
    # only one of them archive it, and only that one renames its files into place.
    tag = f"{os.getpid()}-{secrets.token_hex(4)}.part"
    part_pdf, part_csv = (Path(f"{p}.{tag}") for p in (pdf_path, csv_path))
    printed = [m for m in made if m.printed]  # online letters are archived only
    with part_pdf.open("wb") as fh:
        vdp.batch_pdf(fh, [m.parts for m in printed])
    sha256, size = _file_facts(part_pdf)
    paper = [_paper(m.parts.variant.page_count) for m in printed]
    part_csv.write_text(_manifest_rows(number, (
        (m.letter.reference, m.letter.recipient.name, m.letter.recipient.postcode,
         *sheets, ",".join(m.languages)) for m, sheets in zip(printed, paper, strict=True)),
        sha256), encoding="utf-8")
    try:
        _archive(job, source, made)
        # The batch's row, in the archive's transaction: a second worker on the same batch
        # fails here at the latest.
        db.session.add(RunBatch(job_id=job_id, number=number, state="archived",
                                letters=len(printed), pages=sum(p + b for p, b, _s in paper),
                                size=size, sha256=sha256))
        for item, reason in failures:
            item.failure = reason[:300]
        jobs.add_counts(job_id, done=len(made), failed=len(failures), error="".join(
            f"{source.describe(item.key)}: {reason}\n" for item, reason in failures) or None)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        part_pdf.unlink()
        part_csv.unlink()
        log.warning("letter run %s: batch %s was archived by another worker", job_id,
                    number + 1)
        return 0, 0
    _test_delay(number)
    part_pdf.replace(pdf_path)
    part_csv.replace(csv_path)
    # Final only now that its files are in place: the run's manifest waits for this row.
    db.session.execute(db.update(RunBatch).where(
        RunBatch.job_id == job_id, RunBatch.number == number).values(
        state="final", finished_at=utcnow()))
    db.session.commit()
    return len(made), len(failures)


def _test_delay(number: int) -> None:
    """LETTER_TEST_RENAME_DELAY (tests only): hold one batch before its files go in place."""
    setting = current_app.config.get("LETTER_TEST_RENAME_DELAY") or ""
    batch, _, seconds = setting.partition(":")
    if batch.strip() == str(number + 1):
        time.sleep(float(seconds))


def _archive(job: Job, source: RunSource, made: list[_Made]) -> None:
    if not made:
        return
    source.done([m.letter for m in made])
    actor = _Actor(job.created_by_id)
    stored = []
    for m in made:
        stored.append(services.store(
            source.kind, pdf=m.pdf, page_count=m.parts.variant.page_count,
            reference=m.letter.reference, languages=m.languages, actor=actor,
            person=m.letter.person, cohort=m.letter.cohort, subject=m.letter.subject,
            job_id=job.id, flush=False, delivery=m.delivery))
    db.session.flush()
    for m, letter in zip(made, stored, strict=True):
        claimed = db.session.execute(
            db.update(RunItem).where(RunItem.job_id == job.id,
                                     RunItem.position == m.item.position,
                                     RunItem.letter_id.is_(None))
            .values(letter_id=letter.id).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:  # another worker archived this batch first
            raise IntegrityError("run item already archived", None, Exception())
    audit.record(None, "letters.batch_archived", job, letters=len(made),
                 first=made[0].letter.reference, last=made[-1].letter.reference)


@dataclass(frozen=True)
class _Actor:
    id: int | None


def _rebuild_from_archive(job: Job, params: Params, number: int,
                          items: list[RunItem]) -> None:
    """Write a batch's files from letters archived before a crash (no re-rendering), and
    record it final. Flushes."""

    letters = {letter.id: letter for letter in db.session.scalars(db.select(Letter).where(
        Letter.id.in_([i.letter_id for i in items if i.letter_id is not None]),
        Letter.delivery == services.POST))}  # online letters were never in the batch
    source = sources()[params.source]
    recipients = source.load([i.key for i in items if i.letter_id is not None])
    parts = []
    rows = []
    for item in items:
        letter = letters.get(item.letter_id)
        if letter is None:
            continue
        parts.append(vdp.archived_parts(letter.pdf, letter.languages.split(",")))
        recipient = source.recipient(recipients[item.key])
        rows.append((letter.reference, recipient.name, recipient.postcode,
                     *_paper(letter.page_count), letter.languages))
    pdf_path, csv_path = params.files(number)
    tag = f"{os.getpid()}-{secrets.token_hex(4)}.part"
    part_pdf, part_csv = (Path(f"{p}.{tag}") for p in (pdf_path, csv_path))
    with part_pdf.open("wb") as fh:
        vdp.batch_pdf(fh, parts)
    sha256, size = _file_facts(part_pdf)
    part_csv.write_text(_manifest_rows(number, rows, sha256), encoding="utf-8")
    part_pdf.replace(pdf_path)
    part_csv.replace(csv_path)
    row = _batch_row(job.id, number) or RunBatch(job_id=job.id, number=number)
    row.state, row.letters, row.size, row.sha256 = "final", len(rows), size, sha256
    row.pages, row.finished_at = sum(r[3] + r[4] for r in rows), utcnow()
    db.session.add(row)
    db.session.flush()


def pending(job: Job) -> list[int]:
    """The batches of a run not yet final with their files in place. A batch whose print
    files the retention schedule took away (`purged`) is done: its letters stay archived."""
    params = Params.of(job)
    states = dict(db.session.execute(db.select(RunBatch.number, RunBatch.state).where(
        RunBatch.job_id == job.id)).all())
    return [n for n in range(params.batch_count(job.total))
            if states.get(n) != PURGED and (states.get(n) != "final"
                                            or not all(p.exists() for p in params.files(n)))]


def prepare(job: Job) -> list[int]:
    """Make a new or interrupted run ready to go: counts recomputed from what is archived,
    batches archived but unprinted rebuilt, an earlier manifest taken away (it is written
    again when every batch is final). Returns the batches left to render."""
    params = Params.of(job)
    archived_batches = set(db.session.scalars(db.select(RunItem.batch).distinct().where(
        RunItem.job_id == job.id, RunItem.letter_id.is_not(None))))
    todo = []
    left_over = pending(job)
    if left_over:
        (Path(params.out) / "manifest.csv").unlink(missing_ok=True)
        # Rows of batches that stopped (failed, or archived by a worker that died before
        # its files were in place) are settled again below.
        db.session.execute(db.delete(RunBatch).where(RunBatch.job_id == job.id,
                                                     RunBatch.number.in_(left_over)))
        db.session.commit()
    for number in left_over:
        if number in archived_batches:
            process_batch(job.id, number, recover=True)  # rebuilds its files from the archive
        else:
            todo.append(number)
    done = db.session.scalar(db.select(db.func.count()).where(
        RunItem.job_id == job.id, RunItem.letter_id.is_not(None))) or 0
    left = sum(min(params.batch_size, job.total - n * params.batch_size) for n in todo)
    job.done, job.failed = done, max(0, job.total - done - left)
    job.state, job.started_at, job.finished_at = "running", job.started_at or utcnow(), None
    db.session.commit()
    return todo


def claim_finish(job_id: int) -> bool:
    """True for exactly one caller, once every batch of the run is settled (final or
    failed): the job's row is locked while the batches are counted, so of two workers
    settling the last two batches at once, the second sees the first's."""
    job = locking.lock_row(Job, job_id)
    settled = db.session.scalar(db.select(db.func.count()).where(
        RunBatch.job_id == job_id, RunBatch.state.in_(("final", "failed")))) or 0
    claimed = (job is not None and job.state == "running"
               and settled >= Params.of(job).batch_count(job.total))
    if claimed:
        job.state = "finishing"
    db.session.commit()
    return claimed


class ManifestMismatch(Exception):
    """A batch's files do not say what the database says of it: no manifest is written."""


def _checked_lines(job: Job, params: Params, number: int, row: RunBatch) -> str:
    pdf_path, csv_path = params.files(number)
    if not pdf_path.exists() or not csv_path.exists():
        raise ManifestMismatch(f"batch {number + 1}: its files are missing")
    if pdf_path.stat().st_size != row.size:
        raise ManifestMismatch(f"batch {number + 1}: {pdf_path.name} is not the file the "
                               "run wrote")
    lines = csv_path.read_text(encoding="utf-8")
    listed = [line[2] for line in csv.reader(StringIO(lines))]
    archived = list(db.session.scalars(
        db.select(Letter.reference).join(RunItem, RunItem.letter_id == Letter.id)
        .where(RunItem.job_id == job.id, RunItem.batch == number,
               Letter.delivery == services.POST)
        .order_by(RunItem.position)))
    if listed != archived or any(line[-1] != row.sha256
                                 for line in csv.reader(StringIO(lines))):
        raise ManifestMismatch(f"batch {number + 1}: {csv_path.name} does not list the "
                               "letters archived in it")
    return lines


def finish(job_id: int) -> None:
    """Write the run's manifest and close the job; called once, by whoever claimed it
    (claim_finish). The manifest lists the letters of every batch, checked against the
    database; a run with a failed or inconsistent batch gets none, and stays resumable."""
    job = db.session.get(Job, job_id)
    params = Params.of(job)
    out = Path(params.out)
    out.mkdir(parents=True, exist_ok=True)
    batches = {b.number: b for b in db.session.scalars(
        db.select(RunBatch).where(RunBatch.job_id == job_id))}
    problems = [f"batch {n + 1}: not printed\n" for n in range(params.batch_count(job.total))
                if n not in batches or batches[n].state != "final"]
    parts = []
    if not problems:
        try:
            parts = [_checked_lines(job, params, n, batches[n]) for n in sorted(batches)]
        except ManifestMismatch as exc:
            problems.append(f"{exc}\n")
    manifest = out / "manifest.csv"
    if problems:
        manifest.unlink(missing_ok=True)
        job.error = (job.error or "") + "".join(problems) + "no manifest.csv written\n"
    else:
        part = out / f"manifest.csv.{os.getpid()}-{secrets.token_hex(4)}.part"
        with part.open("w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(MANIFEST_FIELDS) + "\n")
            for lines in parts:
                fh.write(lines)
        part.replace(manifest)
    job.done = db.session.scalar(db.select(db.func.count()).where(
        RunItem.job_id == job_id, RunItem.letter_id.is_not(None))) or 0
    job.failed = job.total - job.done
    job.state = "failed" if job.failed or problems else "done"
    job.finished_at = utcnow()
    audit.record(None, "letters.run_finished", job, done=job.done, failed=job.failed,
                 **({"manifest": False} if problems else {}))
    db.session.commit()
    shutil.rmtree(_layouts(job_id), ignore_errors=True)  # a resumed run lays out again


def _batch_failed(job_id: int, number: int) -> None:
    row = _batch_row(job_id, number)
    if row is None:
        db.session.add(RunBatch(job_id=job_id, number=number, state="failed"))
    elif row.state != "final":
        row.state = "failed"


def run_batch(job_id: int, number: int) -> None:
    """One batch as a unit of work (pool process or RQ job): errors are recorded, and the
    worker that settles the run's last batch writes the manifest."""
    try:
        process_batch(job_id, number)
    except Exception as exc:
        db.session.rollback()
        log.exception("letter run %s: batch %s failed", job_id, number + 1)
        count = db.session.scalar(db.select(db.func.count()).where(
            RunItem.job_id == job_id, RunItem.batch == number,
            RunItem.letter_id.is_(None))) or 0
        jobs.add_counts(job_id, failed=count,
                        error=f"batch {number + 1}: {type(exc).__name__}: {exc}\n")
        _batch_failed(job_id, number)
        db.session.commit()
    if claim_finish(job_id):
        finish(job_id)


def rq_batch(job_id: int, number: int) -> None:
    """A batch as an RQ job: a worker's session does not outlive the job."""
    limits.cap_worker_memory()
    try:
        run_batch(job_id, number)
    finally:
        db.session.remove()


def count_batches(job: Job) -> int:
    return Params.of(job).batch_count(job.total)


def failures(job: Job) -> list[tuple[int, str, str]]:
    """(position, recipient as the report names them, reason) of every letter that failed."""
    source = sources().get(Params.of(job).source)
    rows = db.session.execute(db.select(RunItem.position, RunItem.key, RunItem.failure).where(
        RunItem.job_id == job.id, RunItem.failure.is_not(None)).order_by(RunItem.position))
    return [(pos + 1, source.describe(key) if source else str(key), reason)
            for pos, key, reason in rows]
