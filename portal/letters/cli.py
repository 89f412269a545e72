"""`flask letters ...`: letter runs of any run source, export archived letters."""
from __future__ import annotations

import time
from pathlib import Path

import click

from portal import jobs
from portal.extensions import db
from portal.jobs import Job
from portal.letters import runner, runs
from portal.letters.models import Letter


def _scope(source_name: str, label: str) -> tuple[runs.RunSource, int]:
    source = runs.sources().get(source_name)
    if source is None:
        raise click.ClickException(f"no letter run source named {source_name!r}")
    scope_id = source.find_scope(label)
    if scope_id is None:
        raise click.ClickException(f"no {source_name} group named {label!r}")
    return source, scope_id


_SOURCE = click.option("--source", "source_name", default="invitation", show_default=True,
                       help="Which letters: the run source (invitation, ...).")


def register(app) -> None:
    @app.cli.group("letters", help="Letter runs and the letter archive.")
    def letters():
        pass

    @letters.command("run")
    @_SOURCE
    @click.option("--cohort", "--scope", "scope_name", required=True,
                  help="The group to letter: for invitations, the name of the cohort.")
    @click.option("--out", required=True, type=click.Path(file_okay=False),
                  help="Directory for the print batches and the manifest.")
    @click.option("--batch-size", type=int, default=None, help="Letters per print batch.")
    def run(source_name: str, scope_name: str, out: str, batch_size: int | None):
        """Print and archive the letters of a group, e.g. a cohort's invitations (resumes an
        interrupted run).

        Waits for the run to end; exits with status 1 if any letter failed."""
        source, scope_id = _scope(source_name, scope_name)
        job = runs.open_run(source.name, scope_id)
        if job is not None:
            click.echo(f"Resuming letter run {job.id} into {runs.Params.of(job).out}")
        else:
            job = runs.start(source.name, scope_id, out, actor=None, batch_size=batch_size)
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
        click.echo(f"{job.done} letters printed and archived, {job.failed} failed "
                   f"({runs.count_batches(job)} batches, manifest.csv).")
        if job.failed or job.state != "done":
            click.echo(job.error or "", err=True)
            raise SystemExit(1)

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
