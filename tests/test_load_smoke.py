"""A 20-second smoke of the load test: gunicorn on a free loopback port, a seeded database
(PostgreSQL when TEST_DATABASE_URL is set, as in CI), a queue worker making the letters
(Redis), the locust candidate journey and recruiter work; every step must answer without
an error, and every letter be made."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.load
def test_the_load_test_runs_twenty_seconds_without_an_error():
    env = dict(os.environ)
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        url = base.replace("postgresql://", "postgresql+psycopg://", 1)
        env["BENCH_DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/load_{secrets.token_hex(4)}"
    if os.environ.get("TEST_REDIS_URL"):  # letters and mail on a queue worker, as deployed
        env["BENCH_REDIS_URL"] = os.environ["TEST_REDIS_URL"]
    result = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--users", "6", "--spawn-rate", "3",
         "--duration", "20", "--rows", "2000", "--candidates", "60", "--workers", "2",
         "--think", "0.05,0.2"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "candidate: submit" in result.stdout
    assert "recruiter: queue" in result.stdout
    # Every submitted application got its acknowledgement letter, made after the commit.
    assert " 0 still pending" in result.stdout, result.stdout[-2000:]
