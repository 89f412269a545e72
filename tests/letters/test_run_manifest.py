"""A multi-batch letter run on several workers hands the print shop a manifest that lists
every letter exactly once, even when one worker puts its batch files in place late (the
old race: the manifest was written by whoever archived last, before another worker's
rename); `letters-check` compares the manifest, the batch files and the database."""
from __future__ import annotations

import csv
import hashlib
import os
import secrets
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue

from portal.config import KEY_RINGS, split_keys
from portal.extensions import db
from portal.invitations.letters import start_run
from portal.jobs import Job
from portal.letters import runner
from portal.letters.models import Letter, RunItem
from tests.support import factories
from tests.support.letters import print_shop_check

ROOT = Path(__file__).resolve().parents[2]
POSTCODES = ["1000", "2000", "4700", "5000", "9000", "8000", "3000", "6000"]
# Batch 1 waits this long between its archive commit and putting its files in place.
DELAY = "1:5"


def _cohort(n: int):
    cohort = factories.cohort()
    for i in range(n):
        factories.person(cohort, postcode=POSTCODES[i % len(POSTCODES)])
    db.session.commit()
    return cohort


def _manifest(out: Path) -> list[dict]:
    with (out / "manifest.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


check = print_shop_check


def assert_complete(app, job_id: int, out: Path) -> list[dict]:
    """Every archived letter of the run is in the manifest once, with its batch file's
    checksum, and the print shop's check agrees with the database."""
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.state == "done", job.error
    rows = _manifest(out)
    archived = dict(db.session.execute(
        db.select(Letter.reference, RunItem.batch).join(RunItem, RunItem.letter_id == Letter.id)
        .where(RunItem.job_id == job_id)).all())
    assert len(archived) == job.total
    assert Counter(r["reference"] for r in rows) == Counter(archived.keys()), "a letter is missing"
    for row in rows:
        batch = out / f"batch-{int(row['batch']):04d}.pdf"
        assert int(row["batch"]) == archived[row["reference"]] + 1
        assert row["batch_sha256"] == hashlib.sha256(batch.read_bytes()).hexdigest()
        assert int(row["first_page"]) <= int(row["last_page"])
        assert int(row["sheets"]) * 2 == int(row["last_page"]) - int(row["first_page"]) + 1
    result = check(out, app.config["SQLALCHEMY_DATABASE_URI"])
    assert result.returncode == 0, result.stdout + result.stderr
    return rows


def test_a_late_batch_on_pool_workers_is_in_the_manifest(app, tmp_path):
    cohort = _cohort(6)
    saved = {k: app.config[k] for k in ("LETTER_WORKERS", "LETTER_TEST_RENAME_DELAY")}
    app.config.update(LETTER_WORKERS=2, LETTER_TEST_RENAME_DELAY=DELAY)
    try:
        job = start_run(cohort, tmp_path, actor=None, batch_size=3)
        db.session.commit()
        job_id = job.id
        runner.execute(job_id)
    finally:
        app.config.update(saved)
    rows = assert_complete(app, job_id, tmp_path)
    assert {r["batch"] for r in rows} == {"1", "2"}


def _worker(app, url: str, queue_name: str, log: Path, entry: str) -> subprocess.Popen:
    """A queue worker in a process of its own, started by `entry`: the worker entry point
    beside wsgi.py ("worker.py") or the command ("flask")."""
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": app.config["SECRET_KEY"], "BASE_URL": app.config["BASE_URL"],
           **{ring: ",".join(split_keys(app.config[ring])) for ring in KEY_RINGS},
           "REDIS_URL": url, "RQ_QUEUE": queue_name, "JOBS_INLINE": "false",
           "PORTAL_ENV": "testing", "LETTER_TEST_RENAME_DELAY": DELAY,
           "INSTANCE_PATH": str(log.parent / "instance")}
    command = ([sys.executable, "worker.py", "--burst"] if entry == "worker.py" else
               [str(Path(sys.executable).parent / "flask"), "--app", "portal", "jobs", "worker",
                "--burst"])
    with log.open("wb") as fh:  # the worker keeps its own copy of the descriptor
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=fh,
                                stderr=subprocess.STDOUT)


def test_a_late_batch_on_rq_workers_is_in_the_manifest(app, tmp_path):
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    name = f"test-manifest-{secrets.token_hex(4)}"
    saved = {k: app.config[k] for k in ("REDIS_URL", "JOBS_INLINE", "RQ_QUEUE")}
    app.config.update(REDIS_URL=url, JOBS_INLINE=False, RQ_QUEUE=name)
    out = tmp_path / "run"
    workers = []
    try:
        cohort = _cohort(6)
        job = start_run(cohort, out, actor=None, batch_size=2)
        db.session.commit()
        job_id = job.id
        runner.execute(job_id)
        assert Queue(name, connection=Redis.from_url(url)).count == 3
        # Two deployed workers, one started by each entry point.
        workers = [_worker(app, url, name, tmp_path / f"worker-{n}.log", entry)
                   for n, entry in enumerate(("worker.py", "flask"))]
        for worker in workers:
            assert worker.wait(timeout=240) == 0, [
                (tmp_path / f"worker-{n}.log").read_text() for n in range(2)]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        Queue(name, connection=Redis.from_url(url)).delete(delete_jobs=True)
        app.config.update(saved)
    rows = assert_complete(app, job_id, out)
    assert {r["batch"] for r in rows} == {"1", "2", "3"}


@pytest.fixture
def finished_run(app, tmp_path):
    cohort = _cohort(6)
    job = start_run(cohort, tmp_path, actor=None, batch_size=3)
    db.session.commit()
    runner.execute(job.id)
    db.session.expire_all()
    return job.id


def _rewrite(out: Path, rows: list[dict]) -> None:
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_check_names_a_letter_the_manifest_left_out(app, tmp_path, finished_run):
    rows = _manifest(tmp_path)
    dropped = [r for r in rows if r["batch"] == "2"]
    _rewrite(tmp_path, [r for r in rows if r["batch"] != "2"])
    # Without the database the manifest and the files disagree: batch 2 is not announced.
    alone = check(tmp_path)
    assert alone.returncode == 1
    assert "batch-0002.pdf: a batch file the manifest does not list" in alone.stdout
    with_db = check(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"])
    assert with_db.returncode == 1
    for row in dropped:
        assert f"{row['reference']}: archived in batch 2 of the run, not in the manifest" \
            in with_db.stdout


def test_check_names_a_batch_file_that_changed_after_the_run(app, tmp_path, finished_run):
    from pypdf import PdfReader, PdfWriter

    batch = tmp_path / "batch-0001.pdf"
    reader = PdfReader(batch)
    writer = PdfWriter()
    for page in list(reader.pages)[1:]:  # the first page lost
        writer.add_page(page)
    with batch.open("wb") as fh:
        writer.write(fh)
    result = check(tmp_path)
    assert result.returncode == 1
    assert "batch-0001.pdf: its SHA-256 is not the manifest's" in result.stdout
    assert "batch-0001.pdf: " in result.stdout and "pages, the manifest says" in result.stdout


def test_a_batch_that_cannot_be_put_in_place_leaves_no_manifest_until_resumed(app, tmp_path):
    cohort = _cohort(6)
    # Where batch 2's file should go, something else is in the way: its rename fails
    # after its letters are archived.
    blocker = tmp_path / "batch-0002.pdf"
    blocker.mkdir()
    (blocker / "in-the-way").write_text("x")
    command = ["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path),
               "--batch-size", "3"]
    first = app.test_cli_runner().invoke(args=command)
    assert first.exit_code == 1
    assert not (tmp_path / "manifest.csv").exists()
    job = db.session.scalar(db.select(Job))
    assert job.state == "failed"
    assert "batch 2: not printed" in job.error and "no manifest.csv written" in job.error
    (blocker / "in-the-way").unlink()
    blocker.rmdir()
    resumed = app.test_cli_runner().invoke(args=command)
    assert resumed.exit_code == 0, resumed.output
    assert "Resuming letter run" in resumed.output
    # Its rebuilt batch passes the print shop's check like the others (one name per font,
    # tagged, titled, every sheet marked).
    rows = assert_complete(app, job.id, tmp_path)
    assert len(rows) == 6
