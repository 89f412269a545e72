"""The administrators' letter-run pages: start a run, follow it, resume it."""
from __future__ import annotations

from portal.extensions import db
from portal.jobs import Job
from portal.letters import runner, runs
from portal.letters.models import Letter
from tests.support import factories
from tests.support.client import post_form


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
    response = post_form(client, "/admin/letter-runs", {"cohort": cohort_id, "batch_size": ""},
                         page="/admin/letter-runs")
    assert response.status_code == 302
    job_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    runner.wait_here(job_id, timeout=120)
    db.session.expire_all()
    assert db.session.get(Job, job_id).state == "done"
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 3
    page = client.get(f"/admin/letter-runs/{job_id}").get_data(as_text=True)
    assert 'value="100"' in page and 'http-equiv="refresh"' not in page
    assert (tmp_path.glob("*/manifest.csv")).__next__().exists()


def test_a_running_run_page_refreshes_itself_without_script(app, client, login_as, tmp_path):
    cohort = _cohort(2)
    job = runs.start(cohort, tmp_path, actor=None)
    job.state, job.done = "running", 1
    db.session.commit()
    login_as("admin")
    page = client.get(f"/admin/letter-runs/{job.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'value="50"' in page and "<script" not in page


def test_a_cohort_with_an_unfinished_run_cannot_start_another(app, client, login_as, tmp_path):
    cohort = _cohort(1)
    runs.start(cohort, tmp_path, actor=None)
    db.session.commit()
    login_as("admin", language="en")
    response = post_form(client, "/admin/letter-runs", {"cohort": cohort.id},
                         page="/admin/letter-runs")
    assert response.status_code == 400
    assert "unfinished run" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 1


def test_admin_resumes_an_interrupted_run(app, client, login_as, tmp_path):
    cohort = _cohort(3)
    job = runs.start(cohort, tmp_path, actor=None, batch_size=2)
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
    job = runs.start(cohort, tmp_path, actor=None)
    db.session.commit()
    login_as("recruiter")
    assert client.get("/admin/letter-runs").status_code == 403
    assert client.get(f"/admin/letter-runs/{job.id}").status_code == 403


def test_unknown_run_is_404(app, client, login_as):
    login_as("admin")
    assert client.get("/admin/letter-runs/4242").status_code == 404
