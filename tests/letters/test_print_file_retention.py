"""The printer's copy of a run (batch PDFs and CSVs, the manifest) holds every recipient's
name and address: the retention schedule deletes it once the run is old enough, keeps the
archived letters, and a later run does not print those batches again."""
from __future__ import annotations

from datetime import timedelta

from portal.extensions import db
from portal.jobs import Job
from portal.letters import runs
from portal.letters.models import Letter, RunBatch
from portal.models import utcnow
from tests.support import factories


def _run(app, cohort, out):
    return app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(out),
              "--batch-size", "2"])


def _purge(app, *args):
    result = app.test_cli_runner().invoke(args=["privacy", "purge", *args])
    assert result.exit_code == 0, result.output
    return {p[0]: int(p[-1]) for p in map(str.split, result.output.splitlines())
            if p and p[0] != "total"}


def test_print_files_of_an_old_run_are_deleted_and_its_letters_kept(app, tmp_path):
    cohort = factories.cohort()
    for postcode in ("1000", "2000", "9000"):
        factories.person(cohort, postcode=postcode)
    db.session.commit()
    old, recent = tmp_path / "old", tmp_path / "recent"
    assert _run(app, cohort, old).exit_code == 0
    files = sorted(p.name for p in old.iterdir())
    assert files == ["batch-0001.csv", "batch-0001.pdf", "batch-0002.csv", "batch-0002.pdf",
                     "manifest.csv"]
    job = db.session.scalar(db.select(Job).where(Job.kind == runs.KIND))
    job.finished_at = utcnow() - timedelta(
        days=app.config["RETENTION_DAYS"]["print_files"] + 1)
    factories.person(cohort, postcode="4000")
    db.session.commit()
    assert _run(app, cohort, recent).exit_code == 0  # a newer run keeps its files

    assert _purge(app, "--dry-run")["print_files"] == 5
    assert sorted(p.name for p in old.iterdir()) == files
    assert _purge(app)["print_files"] == 5

    assert not old.exists()
    assert (recent / "manifest.csv").exists() and (recent / "batch-0001.pdf").exists()
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 4
    db.session.expire_all()
    assert {b.state for b in db.session.scalars(db.select(RunBatch).where(
        RunBatch.job_id == job.id))} == {runs.PURGED}
    assert runs.pending(db.session.get(Job, job.id)) == []
    assert _purge(app)["print_files"] == 0
    # Everyone has a letter: nothing is printed again from the purged run.
    again = _run(app, cohort, tmp_path / "again")
    assert not (tmp_path / "again" / "batch-0001.pdf").exists(), again.output
