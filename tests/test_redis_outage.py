"""Redis down while RQ is configured: a letter run started from the admin page falls back
to the portal's own process, says so, and completes; /healthz reports the degraded state.
Runs against a Redis server of its own, which it stops and starts."""
from __future__ import annotations

import secrets

from portal.audit import AuditEvent
from portal.extensions import db
from portal.jobs import Job
from portal.letters import runner
from portal.letters.models import Letter
from tests.support import factories
from tests.support.client import post_form
from tests.support.own_services import own_redis


def test_a_letter_run_falls_back_visibly_when_redis_is_down(app, client, login_as, tmp_path):
    cohort = factories.cohort()
    for postcode in ("9000", "5000", "4700"):
        factories.person(cohort, postcode=postcode)
    db.session.commit()
    cohort_id = cohort.id
    saved = {k: app.config[k] for k in ("REDIS_URL", "JOBS_INLINE", "RQ_QUEUE",
                                         "LETTER_RUN_DIR")}
    with own_redis() as redis:
        app.config.update(REDIS_URL=redis.url, JOBS_INLINE=False,
                          RQ_QUEUE=f"test-{secrets.token_hex(4)}", LETTER_RUN_DIR=str(tmp_path))
        try:
            assert client.get("/healthz").json == {"status": "ok", "database": "ok",
                                                   "redis": "ok"}
            redis.stop()
            health = client.get("/healthz")
            assert health.status_code == 200
            assert health.json["status"] == "degraded"
            assert health.json["redis"].startswith("unreachable")

            login_as("admin", language="en")
            response = post_form(client, "/admin/letter-runs",
                                 {"scope": f"invitation:{cohort_id}", "batch_size": ""},
                                 page="/admin/letter-runs")
            assert response.status_code == 302
            job_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
            page = client.get(response.headers["Location"]).get_data(as_text=True)
            assert "The job queue cannot be reached" in page
            runner.wait_here(job_id, timeout=120)
            db.session.expire_all()
            assert db.session.get(Job, job_id).state == "done"
            assert db.session.scalar(db.select(db.func.count(Letter.id))) == 3
            assert db.session.scalar(db.select(AuditEvent).where(
                AuditEvent.action == "letters.run_fallback")) is not None

            redis.start()
            assert client.get("/healthz").json["status"] == "ok"
        finally:
            app.config.update(saved)
