"""The administrators' letter-run pages: start a run, follow it, resume it."""
from __future__ import annotations

import re

from portal.audit import AuditEvent
from portal.extensions import db
from portal.invitations.letters import start_run
from portal.jobs import Job
from portal.letters import runner, runs
from portal.letters.models import Letter
from tests.support import factories
from tests.support.client import post_form
from tests.support.letters import run_started_from_the_page


def _cohort(n=3):
    cohort = factories.cohort()
    for i in range(n):
        factories.person(cohort, postcode=("9000", "5000", "4700")[i % 3])
    db.session.commit()
    return cohort


def test_admin_starts_a_run_and_follows_its_progress(app, client, login_as, tmp_path):
    app.config["LETTER_RUN_DIR"] = str(tmp_path)
    cohort = _cohort(3)
    cohort_id = cohort.id
    login_as("admin")
    job_id, _response = run_started_from_the_page(client, f"invitation:{cohort_id}")
    db.session.expire_all()
    assert db.session.get(Job, job_id).state == "done"
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 3
    page = client.get(f"/admin/letter-runs/{job_id}").get_data(as_text=True)
    assert 'value="100"' in page and 'http-equiv="refresh"' not in page
    assert (tmp_path.glob("*/manifest.csv")).__next__().exists()


def test_a_running_run_page_follows_its_progress_without_reloading(app, client, login_as,
                                                                    tmp_path):
    cohort = _cohort(2)
    job = start_run(cohort, tmp_path, actor=None)
    job.state, job.done = "running", 1
    db.session.commit()
    login_as("admin", language="en")
    page = client.get(f"/admin/letter-runs/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert f'data-progress-url="/admin/letter-runs/{job.id}/progress.json"' in page
    assert 'value="50"' in page and "Check the progress now" in page
    assert all(' src="/static/' in tag for tag in re.findall(r"<script[^>]*>", page))
    progress = client.get(f"/admin/letter-runs/{job.id}/progress.json").get_json()
    assert progress == {"percent": 50, "active": True, "state": "running",
                        "counts": "1 of 2 printed and archived, 0 failed"}


def test_admins_download_the_print_batches_and_each_download_is_audited(app, client, login_as,
                                                                        tmp_path):
    cohort = _cohort(3)
    job = start_run(cohort, tmp_path / "run", actor=None, batch_size=2)
    db.session.commit()
    for number in runs.prepare(job):
        runs.process_batch(job.id, number)
    runs.finish(job.id)
    db.session.commit()
    admin = login_as("admin", language="en")
    page = client.get(f"/admin/letter-runs/{job.id}").get_data(as_text=True)
    assert f"/admin/letter-runs/{job.id}/batch-2.pdf" in page and "manifest.csv" in page
    response = client.get(f"/admin/letter-runs/{job.id}/batch-2.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    response.close()
    response = client.get(f"/admin/letter-runs/{job.id}/manifest.csv")
    assert response.status_code == 200
    response.close()
    assert client.get(f"/admin/letter-runs/{job.id}/batch-3.pdf").status_code == 404
    events = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action.like("letters.%_downloaded"))).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("letters.batch_downloaded", admin.id), ("letters.manifest_downloaded", admin.id)]
    login_as("recruiter")
    assert client.get(f"/admin/letter-runs/{job.id}/batch-1.pdf").status_code == 403


def test_a_cohort_with_an_unfinished_run_cannot_start_another(app, client, login_as, tmp_path):
    cohort = _cohort(1)
    start_run(cohort, tmp_path, actor=None)
    db.session.commit()
    login_as("admin", language="en")
    response = post_form(client, "/admin/letter-runs", {"scope": f"invitation:{cohort.id}"},
                         page="/admin/letter-runs")
    assert response.status_code == 400
    assert "unfinished run" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 1


def test_admin_resumes_an_interrupted_run(app, client, login_as, tmp_path):
    cohort = _cohort(3)
    job = start_run(cohort, tmp_path, actor=None, batch_size=2)
    db.session.commit()
    runs.process_batch(job.id, runs.prepare(job)[0])
    job_id = job.id
    login_as("admin")
    response = post_form(client, f"/admin/letter-runs/{job_id}/resume", {},
                         page=f"/admin/letter-runs/{job_id}")
    assert response.status_code == 302
    runner.wait_here(job_id, timeout=120)
    db.session.expire_all()
    assert db.session.get(Job, job_id).state == "done"
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 3


def test_only_administrators_see_letter_runs(app, client, login_as, tmp_path):
    cohort = _cohort(1)
    job = start_run(cohort, tmp_path, actor=None)
    db.session.commit()
    login_as("recruiter")
    assert client.get("/admin/letter-runs").status_code == 403
    assert client.get(f"/admin/letter-runs/{job.id}").status_code == 403


def test_unknown_run_is_404(app, client, login_as):
    login_as("admin")
    assert client.get("/admin/letter-runs/4242").status_code == 404


def test_the_run_page_lists_each_failed_letter_with_its_reason(app, client, login_as,
                                                               tmp_path):
    cohort = _cohort(2)
    broken = factories.person(cohort, postcode="9000", first_names="Ann",
                              last_name="Z" * 60)
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    assert result.exit_code == 1
    job = db.session.scalar(db.select(Job))
    login_as("admin", language="en")
    page = client.get(f"/admin/letter-runs/{job.id}").get_data(as_text=True)
    assert f"person {broken.id}" in page
    assert "wider than the envelope window" in page
    assert broken.last_name not in page  # the report names no one
