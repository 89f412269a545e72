"""`flask letters ...`: letter runs of any run source, export archived letters."""
from __future__ import annotations

import getpass
import time
from pathlib import Path

import click
from flask.cli import AppGroup

from portal import jobs
from portal.extensions import db
from portal.jobs import Job
from portal.letters import runner, runs
from portal.letters.models import Letter
from portal.letters.services import ONLINE
from portal.refusals import Refusal


def _scope(source_name: str, label: str) -> tuple[runs.RunSource, int]:
    source = runs.sources().get(source_name)
    if source is None:
        raise click.ClickException(f"no letter run source named {source_name!r}")
    scope_id = source.find_scope(label)
    if scope_id is None:
        raise click.ClickException(f"no {source_name} group named {label!r}")
    return source, scope_id


def _operator(reason: str | None) -> str | None:
    """The reason as audited from the command line, with who typed it."""
    if reason is None:
        return None
    return f"{reason.strip()} (command line, {getpass.getuser()})"


_SOURCE = click.option("--source", "source_name", default="invitation", show_default=True,
                       help="Which letters: the run source (invitation, reminder).")


letters = AppGroup("letters", help="Letter runs and the letter archive.")


@letters.command("run")
@_SOURCE
@click.option("--cohort", "--scope", "scope_name", required=True,
              help="The group to letter: for invitations, the name of the cohort.")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Directory for the print batches and the manifest.")
@click.option("--batch-size", type=int, default=None, help="Letters per print batch.")
@click.option("--reprint-all", is_flag=True,
              help="Letter everyone of the group again; their earlier codes stop working.")
@click.option("--reason", default=None, help="Why everyone is lettered again (audited).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation of --reprint-all.")
def run(source_name: str, scope_name: str, out: str, batch_size: int | None,
        reprint_all: bool, reason: str | None, yes: bool):
    """Print and archive the letters of a group, e.g. a cohort's invitations: everyone
    who has no letter yet (a later extract's new people), or resumes an interrupted run.

    Waits for the run to end; exits with status 1 if any letter failed."""
    source, scope_id = _scope(source_name, scope_name)
    if not run_group(source, scope_id, scope_name, out, batch_size=batch_size,
                     reprint_all=reprint_all, reason=reason, yes=yes):
        raise SystemExit(1)


def run_group(source: runs.RunSource, scope_id: int, scope_name: str, out: str, *,
              batch_size: int | None = None, reprint_all: bool = False,
              reason: str | None = None, yes: bool = False) -> bool:
    """Start (or resume) the run of a group and wait for its end, with a progress bar.
    Returns False when a letter failed or the run did not finish (its report printed)."""
    job = runs.open_run(source.name, scope_id)
    if job is not None:
        click.echo(f"Resuming letter run {job.id} into {runs.Params.of(job).out}")
    else:
        if reprint_all:
            if not (reason or "").strip():
                raise click.UsageError("--reprint-all needs --reason")
            if not yes:
                click.confirm(f"Print every letter of {scope_name} again? Every earlier "
                              "code of theirs stops working.", abort=True)
        try:
            job = runs.start(source.name, scope_id, out, actor=None, batch_size=batch_size,
                             reprint=reprint_all, reason=_operator(reason))
        except Refusal as refusal:
            raise click.ClickException(refusal.message) from None
        except runs.NothingToPrint:
            click.echo(f"Nothing to print: everyone in {scope_name} already has a letter "
                       "(or an account). Reprint one letter with "
                       "`letters reprint --reference ...`.")
            return True
        db.session.commit()
        click.echo(f"Letter run {job.id}: {job.total} letters into {Path(out).resolve()}")
    job_id = job.id
    with click.progressbar(length=job.total or 1, label="Letters",
                           show_pos=True, show_eta=True) as bar:
        shown = [0]

        def progress():
            db.session.expire_all()
            current = db.session.get(Job, job_id)
            bar.update(current.done + current.failed - shown[0])
            shown[0] = current.done + current.failed

        runner.execute(job_id, progress=progress)
        while jobs.use_rq():
            progress()
            if db.session.get(Job, job_id).state in ("done", "failed"):
                break
            time.sleep(0.5)
        progress()
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    online = db.session.scalar(db.select(db.func.count()).where(
        Letter.job_id == job_id, Letter.delivery == ONLINE)) or 0
    online_only = f", {online} archived for online delivery only" if online else ""
    click.echo(f"{job.done - online} letters printed and archived{online_only}, "
               f"{job.failed} failed ({runs.count_batches(job)} batches, manifest.csv).")
    if job.failed or job.state != "done":
        click.echo(job.error or "", err=True)
        return False
    return True


@letters.command("reprint")
@click.option("--reference", required=True, help="Reference printed on the letter.")
@click.option("--reason", required=True, help="Why it is printed again (audited).")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="Directory for the new letter's PDF.")
def reprint(reference: str, reason: str, out: str):
    """Print one person's letter again (lost, new address): a new letter and code, the
    old code revoked."""
    try:
        letter = runs.reprint(reference, None, _operator(reason))
    except LookupError:
        raise click.ClickException(f"no letter with reference {reference!r}") from None
    except Refusal as refusal:
        raise click.ClickException(refusal.message) from None
    db.session.commit()
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    (target / f"{letter.reference}.pdf").write_bytes(letter.pdf)
    click.echo(f"Letter {letter.reference} replaces {reference}: "
               f"{(target / f'{letter.reference}.pdf').resolve()}")


@letters.command("export")
@_SOURCE
@click.option("--cohort", "--scope", "scope_name", required=True,
              help="The group: for invitations, the name of the cohort.")
@click.option("--out", required=True, type=click.Path(file_okay=False))
def export(source_name: str, scope_name: str, out: str):
    """Write every archived letter of a cohort as <reference>.pdf, byte for byte."""
    _source, scope_id = _scope(source_name, scope_name)
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    rows = db.session.execute(
        db.select(Letter.reference, Letter.pdf).where(Letter.cohort_id == scope_id)
        .order_by(Letter.id).execution_options(yield_per=200))
    for reference, pdf in rows:
        (target / f"{reference}.pdf").write_bytes(pdf)
        count += 1
    click.echo(f"{count} letters written to {target.resolve()}")

