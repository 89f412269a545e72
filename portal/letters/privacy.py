"""The letter archive's share of export, erasure and retention. Imports no domain: the
letters of a person or an account are found by their ids alone."""
from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from portal import privacy_registry as registry
from portal.extensions import db
from portal.jobs import Job
from portal.letters import runs
from portal.letters.models import Letter, RunBatch
from portal.letters.pending import LETTERS
from portal.mail import external_url
from portal.outbox import Delivery

LABELS = {
    "kind": _l("Kind of letter"),
    "created_at": _l("Issued on"),
    "languages": _l("Languages"),
    "sha256": _l("SHA-256 of the PDF"),
    "url": _l("Download"),
    "state": _l("State"),
}


def _of(user, table=Letter):
    """The letters (or, with table=Delivery, those still being made) of an account and
    of its register person."""
    clauses = [table.user_id == user.id]
    if getattr(user, "person", None) is not None:
        clauses.append(table.person_id == user.person.id)
    return and_(LETTERS, or_(*clauses)) if table is Delivery else or_(*clauses)


def export(user) -> list | None:
    letters = db.session.scalars(select(Letter).where(_of(user)).order_by(Letter.id)).all()
    pending = db.session.scalars(select(Delivery).where(_of(user, Delivery))
                                 .order_by(Delivery.id)).all()
    return registry.rows(
        letters, "kind", "reference", "created_at", "languages", "sha256",
        ("url", lambda letter: external_url("letters.download", public_id=letter.public_id)),
    ) + registry.rows(
        pending, "kind", "reference", "created_at",
        ("state", lambda row: str(_("Could not be made") if row.failed_at
                                  else _("Being prepared"))),
    ) or None


def erase(user, actor, now, kept_subjects=frozenset(), **_kw) -> registry.Erased:
    letters = db.session.scalars(select(Letter).where(_of(user))).all()
    deleted = 0
    for letter in letters:
        if (letter.subject_type, letter.subject_id) in kept_subjects:
            # Part of a record the law keeps (a decision under appeal): kept, and no longer
            # linked to the account's register data.
            letter.person_id = None
            continue
        db.session.delete(letter)
        deleted += 1
    deleted += registry.delete_rows(Delivery, _of(user, Delivery))
    return registry.Erased(counts={"letters": deleted})


def deletion_dates(user, days: dict) -> list[registry.DeletionDate]:
    first = db.session.scalar(select(func.min(Letter.created_at)).where(_of(user)))
    if first is None:
        return []
    return [registry.DeletionDate(
        _l("Your letters"), registry.days_after(first, days["letters"]),
        _l("Each letter is deleted %(days)s days after it was issued; this is the date of "
           "the oldest.", days=days["letters"]))]


# Letters issued before the cutoff, and letters given up before it (never issued).
purge_letters = registry.together(registry.older(Letter.created_at),
                                  registry.older(Delivery.failed_at, LETTERS))


def purge_print_files(cutoff, now, dry_run: bool) -> int:
    """The printer's files (batch PDFs and CSVs, the manifest) of letter runs that ended
    before `cutoff`. The letters stay in the archive; their batches are marked purged so that
    no later run resumes them. Counts the files."""
    count = 0
    finished = db.session.scalars(select(Job).where(
        Job.kind == runs.KIND, Job.state.in_(("done", "failed")), Job.finished_at < cutoff))
    for job in finished:
        params = runs.Params.of(job)
        out = Path(params.out)
        batches = db.session.scalars(select(RunBatch).where(
            RunBatch.job_id == job.id, RunBatch.state != runs.PURGED)).all()
        files = [path for batch in batches for path in params.files(batch.number)
                 if path.exists()]
        files += [path for path in (out / "manifest.csv",) if path.exists()]
        count += len(files)
        if dry_run:
            continue
        for path in files:
            path.unlink(missing_ok=True)
        for batch in batches:
            batch.state = runs.PURGED
        if out.is_dir() and not any(out.iterdir()):
            out.rmdir()
    db.session.flush()
    return count


PART = registry.Part(
    name="letters",
    label=_l("Your letters"),
    export=export,
    erase=erase,
    deletion_dates=deletion_dates,
    labels=LABELS,
    order=20,
    rules=(registry.Rule(
        kind="letters",
        label=_l("Letters"),
        purpose=_l("Send and show again the letters of the service year exactly as issued"),
        legal_basis=registry.PUBLIC_TASK,
        categories=_l("Name, address, reference and the letter's text (PDF)"),
        since=_l("the letter's issue"),
        purge=purge_letters,
        recipients=_l("The printer of the letters (processor), the postal service"),
    ), registry.Rule(
        kind="print_files",
        label=_l("Print files of letter runs"),
        purpose=_l("Hand the letters of a run to the printer and check that none is missing"),
        legal_basis=registry.PUBLIC_TASK,
        categories=_l("Names, addresses and letters of a run, as PDF and CSV files for the "
                      "printer"),
        since=_l("the end of the run"),
        purge=purge_print_files,
        recipients=_l("The printer of the letters (processor)"),
    )),
)
