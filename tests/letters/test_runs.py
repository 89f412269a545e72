"""Invitation letter runs: batches by postcode, manifest, archive, resume, failures, RQ."""
from __future__ import annotations

import csv
import hashlib
import os
import secrets
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from portal.audit import AuditEvent
from portal.extensions import db
from portal.invitations.letters import start_run
from portal.invitations.models import Invitation
from portal.jobs import Job
from portal.letters import runner, runs
from portal.letters.models import Letter
from tests.support import factories
from tests.support.letters import embedded_fonts, pdf_text

POSTCODES = ["9000", "5000", "1000", "4700", "2000", "8500", "1050", "4000", "3000"]


def _cohort(n=9, **person_fields):
    cohort = factories.cohort()
    people = [factories.person(cohort, postcode=POSTCODES[i % len(POSTCODES)], **person_fields)
              for i in range(n)]
    db.session.commit()
    return cohort, people


def _run(app, cohort, out, *args):
    return app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(out), *args])


def _manifest(out: Path) -> list[dict]:
    with (out / "manifest.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_run_prints_batches_by_postcode_and_archives_every_letter(app, tmp_path):
    cohort, people = _cohort(9)
    result = _run(app, cohort, tmp_path, "--batch-size", "4")
    assert result.exit_code == 0, result.output
    rows = _manifest(tmp_path)
    assert [r["postcode"] for r in rows] == sorted(p.postcode for p in people)
    assert [(r["batch"], r["position"]) for r in rows] == [
        ("1", "1"), ("1", "2"), ("1", "3"), ("1", "4"), ("2", "1"), ("2", "2"), ("2", "3"),
        ("2", "4"), ("3", "1")]
    letters = {letter.reference: letter for letter in db.session.scalars(db.select(Letter))}
    assert set(letters) == {r["reference"] for r in rows}
    for number in (1, 2, 3):
        batch = PdfReader(tmp_path / f"batch-{number:04d}.pdf")
        in_batch = [r for r in rows if r["batch"] == str(number)]
        assert len(batch.pages) == sum(int(r["pages"]) + int(r["blank_pages"])
                                       for r in in_batch)
        assert all(int(r["sheets"]) * 2 == int(r["pages"]) + int(r["blank_pages"])
                   for r in in_batch)
        text = "".join(page.extract_text() for page in batch.pages)
        assert all(r["name"] in text for r in in_batch)
    names = {p.full_name for p in people}
    for row in rows:
        letter = letters[row["reference"]]
        text = pdf_text(letter.pdf)
        assert row["name"] in text and row["reference"] in text
        assert not {n for n in names - {row["name"]} if n in text}, "another recipient inside"
        assert len(PdfReader(BytesIO(letter.pdf)).pages) == letter.page_count == int(row["pages"])
        assert letter.sha256 == hashlib.sha256(letter.pdf).hexdigest()
        assert all("Letter-Sans" in f for f in embedded_fonts(letter.pdf))
        assert letter.size < 100_000  # its own fonts only, never a batch's resources
        assert letter.languages == row["languages"]
    invitations = db.session.scalars(db.select(Invitation)).all()
    assert len(invitations) == 9 and all(i.is_open for i in invitations)
    job = db.session.scalar(db.select(Job))
    assert (job.state, job.done, job.failed) == ("done", 9, 0)


def test_letters_of_a_run_read_like_the_full_render(app, tmp_path):
    from portal.invitations import letters as invitation
    from portal.letters import services

    cohort, (person,) = _cohort(1, last_name="Çelik-Ærø", first_names="Zoë")
    assert _run(app, cohort, tmp_path).exit_code == 0
    letter = db.session.scalar(db.select(Letter))
    full, _pages = services.render_letter(
        "invitation", recipient=services.Recipient.from_person(person),
        context=invitation.context(cohort), languages=letter.languages.split(","),
        reference=letter.reference, slots={"code": "CODE-CODE-CODE-C"})
    words = set(pdf_text(letter.pdf).split())
    expected = set(pdf_text(full).split()) - {"CODE-CODE-CODE-C"}
    assert expected - words == set()
    assert "Zoë" in words and "Çelik-Ærø" in words


def test_a_hostile_name_prints_as_text_in_a_run(app, tmp_path):
    hostile = '<img src="http://evil.example/x.png">'
    cohort, _people = _cohort(1, last_name=hostile)
    assert _run(app, cohort, tmp_path).exit_code == 0
    assert hostile in pdf_text(db.session.scalar(db.select(Letter)).pdf).replace("\n", " ")


def test_run_resumes_without_rendering_archived_letters_again(app, tmp_path):
    cohort, people = _cohort(9)
    job = start_run(cohort, tmp_path, actor=None, batch_size=4)
    db.session.commit()
    todo = runs.prepare(job)
    runs.process_batch(job.id, todo[0])  # then the machine "crashes"
    db.session.commit()
    before = {(x.id, x.person_id, x.sha256) for x in db.session.scalars(db.select(Letter))}
    assert len(before) == 4
    # The files of the archived batch are lost too: they must come back from the archive.
    (tmp_path / "batch-0001.pdf").unlink()
    result = _run(app, cohort, tmp_path)
    assert result.exit_code == 0, result.output
    assert "Resuming" in result.output
    after = {(x.id, x.person_id, x.sha256) for x in db.session.scalars(db.select(Letter))}
    assert before <= after and len(after) == 9
    assert sorted(p for _i, p, _s in after) == sorted(p.id for p in people)
    batches = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "letters.batch_archived")).all()
    assert len(batches) == 3
    rows = _manifest(tmp_path)
    assert len(rows) == 9
    batch = [r for r in rows if r["batch"] == "1"]
    assert len(PdfReader(tmp_path / "batch-0001.pdf").pages) == sum(
        int(r["sheets"]) * 2 for r in batch)


def test_cli_exits_non_zero_when_a_letter_fails(app, tmp_path):
    cohort, people = _cohort(3)
    broken = factories.person(cohort, postcode="0000")
    db.session.commit()
    result = _run(app, cohort, tmp_path)
    assert result.exit_code == 1
    assert f"person {broken.id}" in result.output
    assert len(_manifest(tmp_path)) == 3
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 3
    job = db.session.scalar(db.select(Job))
    assert (job.state, job.done, job.failed) == ("failed", 3, 1)


def test_export_writes_each_archived_letter_byte_for_byte(app, tmp_path):
    cohort, _people = _cohort(3)
    assert _run(app, cohort, tmp_path / "run").exit_code == 0
    result = app.test_cli_runner().invoke(
        args=["letters", "export", "--cohort", cohort.name, "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    for letter in db.session.scalars(db.select(Letter)):
        assert (tmp_path / "x" / f"{letter.reference}.pdf").read_bytes() == letter.pdf


def test_run_on_rq_workers(app, tmp_path):
    from redis import Redis
    from rq import Queue

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    name = f"test-letters-{secrets.token_hex(4)}"
    saved = {k: app.config[k] for k in ("REDIS_URL", "JOBS_INLINE", "RQ_QUEUE")}
    app.config.update(REDIS_URL=url, JOBS_INLINE=False, RQ_QUEUE=name)
    try:
        cohort, _people = _cohort(5)
        job = start_run(cohort, tmp_path, actor=None, batch_size=2)
        db.session.commit()
        job_id = job.id
        runner.execute(job_id)
        queue = Queue(name, connection=Redis.from_url(url))
        assert queue.count == 3
        result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
        assert result.exit_code == 0, result.output
        assert queue.count == 0
        job = db.session.get(Job, job_id)
        assert (job.state, job.done) == ("done", 5)
        assert len(_manifest(tmp_path)) == 5
    finally:
        Queue(name, connection=Redis.from_url(url)).delete(delete_jobs=True)
        app.config.update(saved)


def test_manifest_cells_cannot_carry_spreadsheet_formulas_or_control_characters(app, tmp_path):
    cohort = factories.cohort()
    # (No NUL: PostgreSQL refuses it in text, and every way in strips it.)
    factories.person(cohort, first_names="@SUM(1+1)", last_name='=HYPERLINK("http://x")')
    factories.person(cohort, first_names="-2+3", last_name="+cmd|' /C calc'!A0\r")
    db.session.commit()
    result = _run(app, cohort, tmp_path)
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "manifest.csv").read_text(encoding="utf-8")
    assert "\r" not in raw.replace("\r\n", "\n")
    for row in _manifest(tmp_path):
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@", "\t", "\r"), row
    assert {r["name"] for r in _manifest(tmp_path)} == {
        "'@SUM(1+1) =HYPERLINK(\"http://x\")", "'-2+3 +cmd|' /C calc'!A0"}


def test_no_run_for_a_cohort_whose_codes_have_expired(app, tmp_path):
    cohort, _people = _cohort(2)
    cohort.expires_on = date.today() - timedelta(days=1)
    db.session.commit()
    result = _run(app, cohort, tmp_path)
    assert result.exit_code != 0
    assert "zou een code dragen die niet meer werkt" in result.output  # the default language
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 0
    assert not list(tmp_path.iterdir())
