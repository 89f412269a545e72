"""`flask letters ...`: run a cohort's invitation letters, export archived letters."""
from __future__ import annotations

import time
from pathlib import Path

import click

from portal import jobs
from portal.extensions import db
from portal.invitations.models import Cohort
from portal.jobs import Job
from portal.letters import runner, runs
from portal.letters.models import Letter


def _cohort(name: str) -> Cohort:
    cohort = db.session.scalar(db.select(Cohort).where(Cohort.name == name))
    if cohort is None:
        raise click.ClickException(f"no cohort named {name!r}")
    return cohort


def register(app) -> None:
    @app.cli.group("letters", help="Letter runs and the letter archive.")
    def letters():
        pass

    @letters.command("run")
    @click.option("--cohort", "cohort_name", required=True, help="Name of the cohort.")
    @click.option("--out", required=True, type=click.Path(file_okay=False),
                  help="Directory for the print batches and the manifest.")
    @click.option("--batch-size", type=int, default=None, help="Letters per print batch.")
    def run(cohort_name: str, out: str, batch_size: int | None):
        """Print and archive the invitation letters of a cohort (resumes an interrupted run).

        Waits for the run to end; exits with status 1 if any letter failed."""
        cohort = _cohort(cohort_name)
        job = runs.open_run(cohort)
        if job is not None:
            click.echo(f"Resuming letter run {job.id} into {runs.Params.of(job).out}")
        else:
            job = runs.start(cohort, out, actor=None, batch_size=batch_size)
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
    @click.option("--cohort", "cohort_name", required=True, help="Name of the cohort.")
    @click.option("--out", required=True, type=click.Path(file_okay=False))
    def export(cohort_name: str, out: str):
        """Write every archived letter of a cohort as <reference>.pdf, byte for byte."""
        cohort = _cohort(cohort_name)
        target = Path(out)
        target.mkdir(parents=True, exist_ok=True)
        count = 0
        rows = db.session.execute(
            db.select(Letter.reference, Letter.pdf).where(Letter.cohort_id == cohort.id)
            .order_by(Letter.id).execution_options(yield_per=200))
        for reference, pdf in rows:
            (target / f"{reference}.pdf").write_bytes(pdf)
            count += 1
        click.echo(f"{count} letters written to {target.resolve()}")
