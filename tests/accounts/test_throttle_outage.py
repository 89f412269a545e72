"""Login throttling with its Redis down: staff logins fail closed, citizens go on under a
limit of the process, and the shared counters come back by themselves with Redis.

The portal runs in a gunicorn process of its own (one worker: a process's memory is what
counts during the outage) against a Redis server the test stops and starts."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

from redis import Redis

from portal.extensions import db
from tests.live import Client
from tests.support import factories
from tests.support.own_services import free_port, own_redis

ROOT = Path(__file__).resolve().parents[2]
WRONG = "not the password at all"
UNAVAILABLE = "Login for staff accounts is temporarily unavailable"
INCORRECT = "The e-mail address or password is not correct."


@contextlib.contextmanager
def portal_process(database_url: str, redis_url: str, tmp_path: Path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "JOBS_INLINE": "true", "SECRET_KEY": "throttle-test", "INSTANCE_PATH": str(tmp_path),
           "MAIL_DIR": str(tmp_path / "mail"), "LOGIN_LIMIT": "5 per 15 minutes",
           "LOGIN_ADDRESS_LIMIT": "1000 per 15 minutes",
           "RATELIMIT_KEY_PREFIX": f"throttle-test-{port}"}
    env.pop("MAIL_URL", None)
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
             "wsgi:app"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if Client(base).open("/healthz")[0] in (200, 503):
                    break
            assert process.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "the portal did not start"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def english(base: str) -> Client:
    client = Client(base)
    client.opener.addheaders = [("Accept-Language", "en")]
    return client


def log_in(base: str, email: str, password: str):
    return english(base).post_form("/login", {"email": email, "password": password})


def shared_counters(redis_url: str) -> int:
    return len(Redis.from_url(redis_url).keys("LIMITS:*"))


def test_staff_logins_fail_closed_and_citizens_meet_a_process_limit_while_redis_is_down(
        app, database_url, tmp_path):
    staff = factories.user(role="recruiter")
    guessed = factories.user()
    other = factories.user()
    late = factories.user()
    db.session.commit()
    with own_redis() as redis, portal_process(database_url, redis.url, tmp_path) as base:
        # Redis up: a staff password is accepted (the second step follows); a failure is
        # counted in Redis.
        status, headers, _ = log_in(base, staff.email, factories.PASSWORD)
        assert status == 302 and headers["Location"].endswith("/staff")
        assert log_in(base, late.email, WRONG)[0] == 200
        assert shared_counters(redis.url) > 0

        redis.stop()
        # Staff: refused whatever the password, with a message that says why.
        for password in (factories.PASSWORD, WRONG):
            status, _headers, page = log_in(base, staff.email, password)
            assert status == 503
            assert UNAVAILABLE in page
        # Citizens: logins go on...
        status, headers, _ = log_in(base, other.email, factories.PASSWORD)
        assert status == 302 and "/login" not in headers["Location"]
        # ...and a guessing run against one account is stopped by this process's limit.
        answers = [log_in(base, guessed.email, WRONG) for _ in range(6)]
        assert [a[0] for a in answers] == [200] * 5 + [429]
        assert all(INCORRECT in page for _s, _h, page in answers[:5])
        assert log_in(base, guessed.email, factories.PASSWORD)[0] == 429

        # Redis back on the same port: the shared counters are used again by themselves
        # (Flask-Limiter pings it again after a growing wait of at most about a minute),
        # and staff may log in again.
        redis.start()
        deadline = time.monotonic() + 90
        while shared_counters(redis.url) == 0:
            assert time.monotonic() < deadline, "the shared counters did not come back"
            log_in(base, late.email, WRONG)
            time.sleep(1)
        status, headers, _ = log_in(base, staff.email, factories.PASSWORD)
        assert status == 302 and headers["Location"].endswith("/staff")
