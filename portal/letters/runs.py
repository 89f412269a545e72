"""Invitation letter runs: a cohort's letters in print batches sorted by postcode, each
letter archived on its own, resumable after a crash, spread over processes or RQ workers.

A run is a Job. Its people are split into batches (postcode order, fixed when the run
starts); a batch is rendered, written to `batch-NNNN.pdf.part`, archived in one database
transaction, then renamed. A batch whose files exist is done; one whose letters are in
the database but whose files are missing is rebuilt from the archive, never re-rendered.
"""
from __future__ import annotations

import csv
import json
import logging
import math
import os
import secrets
from dataclasses import dataclass
from datetime import date
from io import BytesIO, StringIO
from pathlib import Path

from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal import audit, csvsafe, jobs, regions
from portal.extensions import db
from portal.invitations.models import Cohort, Person
from portal.invitations.services import new_invitation, revoke_open
from portal.jobs import Job
from portal.letters import invitation, services, vdp
from portal.letters.models import Letter
from portal.models import utcnow

KIND = "letter_run"
MANIFEST_FIELDS = ("batch", "position", "reference", "name", "postcode", "pages", "languages")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Params:
    cohort_id: int
    out: str
    batch_size: int
    letter_date: str
    max_person_id: int

    @classmethod
    def of(cls, job: Job) -> Params:
        return cls(**json.loads(job.params))

    def batch_count(self, total: int) -> int:
        return max(1, math.ceil(total / self.batch_size))

    def files(self, number: int) -> tuple[Path, Path]:
        stem = Path(self.out) / f"batch-{number + 1:04d}"
        return stem.with_suffix(".pdf"), stem.with_suffix(".csv")


def open_run(cohort: Cohort) -> Job | None:
    """The cohort's unfinished run, if one was interrupted."""
    return db.session.scalar(
        db.select(Job).where(Job.kind == KIND, Job.state.in_(("queued", "running", "failed")),
                             Job.params.like(f'{{"cohort_id": {cohort.id},%'))
        .order_by(Job.id.desc()))


def start(cohort: Cohort, out: str | os.PathLike, actor, batch_size: int | None = None,
          letter_date: date | None = None) -> Job:
    """A new run for everyone in the cohort (flush, no commit)."""
    max_id = db.session.scalar(db.select(db.func.max(Person.id)).where(
        Person.cohort_id == cohort.id)) or 0
    total = db.session.scalar(db.select(db.func.count(Person.id)).where(
        Person.cohort_id == cohort.id)) or 0
    params = Params(cohort_id=cohort.id, out=str(Path(out).resolve()),
                    batch_size=batch_size or current_app.config["LETTER_BATCH_SIZE"],
                    letter_date=(letter_date or date.today()).isoformat(), max_person_id=max_id)
    job = Job(kind=KIND, state="queued", total=total, params=json.dumps(params.__dict__),
              created_by_id=getattr(actor, "id", None))
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "letters.run_started", job, cohort=cohort.name, total=total,
                 out=params.out)
    return job


def _persons(params: Params, number: int) -> list[Person]:
    return list(db.session.scalars(
        db.select(Person)
        .where(Person.cohort_id == params.cohort_id, Person.id <= params.max_person_id)
        .order_by(Person.postcode, Person.id)
        .offset(number * params.batch_size).limit(params.batch_size)))


_variants: dict[tuple, vdp.Variant] = {}


def _variant(job_id: int, cohort: Cohort, params: Params, languages) -> vdp.Variant:
    key = (job_id, languages)
    if key not in _variants:
        if len(_variants) > 32:
            _variants.clear()
        context = invitation.context(cohort, date.fromisoformat(params.letter_date))
        _variants[key] = vdp.Variant(invitation.KIND, languages, context)
    return _variants[key]


def _manifest_rows(number: int, rows) -> str:
    buffer = StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for position, row in enumerate(rows, 1):
        writer.writerow((number + 1, position, *csvsafe.row(row)))
    return buffer.getvalue()


def process_batch(job_id: int, number: int) -> tuple[int, int]:
    """Render, print and archive one batch; returns (letters done, letters failed) by this
    call. A batch already printed is skipped; one already archived is rebuilt from the
    archive."""
    job = db.session.get(Job, job_id)
    params = Params.of(job)
    pdf_path, csv_path = params.files(number)
    if pdf_path.exists() and csv_path.exists():
        return 0, 0
    persons = _persons(params, number)
    archived = {letter.person_id: letter for letter in db.session.scalars(
        db.select(Letter).where(Letter.job_id == job_id,
                                Letter.person_id.in_([p.id for p in persons])))}
    if archived:
        _rebuild_from_archive(params, number, persons, archived)
        return 0, 0
    cohort = db.session.get(Cohort, params.cohort_id)
    made, failures = [], []
    for person in persons:
        try:
            languages = regions.letter_languages(person.postcode, person.register_language)
            variant = _variant(job_id, cohort, params, languages)
            invite, code = new_invitation(person, cohort)
            recipient = services.Recipient.from_person(person)
            parts = vdp.compose(variant, vdp.Personal(
                recipient=recipient, reference=invite.reference, extra={"code": code},
                qr_url=invitation.signup_url(code)))
            made.append((person, invite, parts, vdp.letter_pdf(parts)))
        except Exception as exc:  # one bad record must not stop the other 149,999
            failures.append(f"person {person.id}: {type(exc).__name__}: {exc}\n")
    Path(params.out).mkdir(parents=True, exist_ok=True)
    # Unique part names: should two workers ever take the same batch, the database lets
    # only one of them archive it, and only that one renames its files into place.
    tag = f"{os.getpid()}-{secrets.token_hex(4)}.part"
    part_pdf, part_csv = (Path(f"{p}.{tag}") for p in (pdf_path, csv_path))
    with part_pdf.open("wb") as fh:
        vdp.batch_pdf(fh, [parts for _p, _i, parts, _b in made])
    part_csv.write_text(_manifest_rows(number, (
        (i.reference, p.full_name, p.postcode, parts.variant.page_count,
         ",".join(parts.variant.languages)) for p, i, parts, _b in made)), encoding="utf-8")
    try:
        _archive(job, cohort, made)
        jobs.add_counts(job_id, done=len(made), failed=len(failures),
                        error="".join(failures) or None)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        part_pdf.unlink()
        part_csv.unlink()
        log.warning("letter run %s: batch %s was archived by another worker", job_id,
                    number + 1)
        return 0, 0
    part_pdf.replace(pdf_path)
    part_csv.replace(csv_path)
    return len(made), len(failures)


def _archive(job: Job, cohort: Cohort, made) -> None:
    if not made:
        return
    revoke_open([person.id for person, *_ in made])
    db.session.add_all([invite for _p, invite, _parts, _b in made])
    db.session.flush()
    actor_id = job.created_by_id
    for person, invite, parts, pdf in made:
        services.store(
            invitation.KIND, pdf=pdf, page_count=parts.variant.page_count,
            reference=invite.reference, languages=parts.variant.languages,
            actor=_Actor(actor_id), person=person, cohort=cohort, subject=invite,
            job_id=job.id, flush=False)
    db.session.flush()
    audit.record(None, "letters.batch_archived", job, letters=len(made),
                 first=made[0][1].reference, last=made[-1][1].reference)


@dataclass(frozen=True)
class _Actor:
    id: int | None


def _rebuild_from_archive(params: Params, number: int, persons, archived) -> None:
    """Write a batch's files from letters archived before a crash (no re-rendering)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    rows = []
    for person in persons:
        letter = archived.get(person.id)
        if letter is None:
            continue
        writer.append(BytesIO(letter.pdf))
        rows.append((letter.reference, person.full_name, person.postcode, letter.page_count,
                     letter.languages))
    pdf_path, csv_path = params.files(number)
    part = Path(f"{pdf_path}.{os.getpid()}-{secrets.token_hex(4)}.part")
    with part.open("wb") as fh:
        writer.write(fh)
    part.replace(pdf_path)
    csv_path.write_text(_manifest_rows(number, rows), encoding="utf-8")


def pending(job: Job) -> list[int]:
    params = Params.of(job)
    return [n for n in range(params.batch_count(job.total))
            if not all(p.exists() for p in params.files(n))]


def prepare(job: Job) -> list[int]:
    """Make a new or interrupted run ready to go: counts recomputed from what is archived,
    batches archived but unprinted rebuilt. Returns the batches left to render."""
    params = Params.of(job)
    todo = []
    for number in pending(job):
        if _has_archive(job, params, number):
            process_batch(job.id, number)  # rebuilds its files from the archive
        else:
            todo.append(number)
    done = db.session.scalar(db.select(db.func.count(Letter.id)).where(
        Letter.job_id == job.id)) or 0
    left = sum(min(params.batch_size, job.total - n * params.batch_size) for n in todo)
    job.done, job.failed = done, max(0, job.total - done - left)
    job.state, job.started_at, job.finished_at = "running", job.started_at or utcnow(), None
    db.session.commit()
    return todo


def _has_archive(job: Job, params: Params, number: int) -> bool:
    if not db.session.scalar(db.select(Letter.id).where(Letter.job_id == job.id).limit(1)):
        return False  # a fresh run: nothing to look for
    ids = list(db.session.scalars(
        db.select(Person.id)
        .where(Person.cohort_id == params.cohort_id, Person.id <= params.max_person_id)
        .order_by(Person.postcode, Person.id)
        .offset(number * params.batch_size).limit(params.batch_size)))
    return bool(ids) and db.session.scalar(db.select(db.func.count(Letter.id)).where(
        Letter.job_id == job.id, Letter.person_id.in_(ids))) > 0


def finish(job_id: int) -> None:
    """Write the run's manifest and close the job; called once, by whoever saw it complete."""
    job = db.session.get(Job, job_id)
    params = Params.of(job)
    with (Path(params.out) / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(MANIFEST_FIELDS) + "\n")
        for number in range(params.batch_count(job.total)):
            _pdf, csv_path = params.files(number)
            if csv_path.exists():
                fh.write(csv_path.read_text(encoding="utf-8"))
    job.state = "failed" if job.failed else "done"
    job.finished_at = utcnow()
    audit.record(None, "letters.run_finished", job, done=job.done, failed=job.failed)
    db.session.commit()


def run_batch(job_id: int, number: int) -> None:
    """One batch as a unit of work (pool process or RQ job): errors are recorded, and the
    worker that completes the run writes the manifest."""
    try:
        process_batch(job_id, number)
    except Exception as exc:
        db.session.rollback()
        log.exception("letter run %s: batch %s failed", job_id, number + 1)
        params = Params.of(db.session.get(Job, job_id))
        jobs.add_counts(job_id, failed=len(_persons(params, number)),
                        error=f"batch {number + 1}: {type(exc).__name__}: {exc}\n")
        db.session.commit()
    if jobs.claim_finish(job_id):
        finish(job_id)


def rq_batch(job_id: int, number: int) -> None:
    """A batch as an RQ job: a worker's session does not outlive the job."""
    try:
        run_batch(job_id, number)
    finally:
        db.session.remove()


def count_batches(job: Job) -> int:
    return Params.of(job).batch_count(job.total)
