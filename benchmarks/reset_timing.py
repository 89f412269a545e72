"""Password-reset requests for a known and an unknown address: median response time of
each, interleaved, through the app (test client, real database, the after-response
delivery not counted: the requester never waits for it).

    .venv/bin/python benchmarks/reset_timing.py [--repeat 300]
    BENCH_DATABASE_URL=postgresql+psycopg://root@127.0.0.1:5432/bench_reset ...

Without BENCH_DATABASE_URL it uses a throwaway SQLite file. The two medians should be
within the noise of each other (the same work is done for both: a token, a sealed outbox
row, a commit); before that, the unknown address answered about 3 ms sooner.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _database(url: str | None) -> tuple[str, callable]:
    if not url:
        return f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}", lambda: None
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300, help="requests per address")
    args = parser.parse_args()
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from tests.support import factories

    url, drop = _database(os.environ.get("BENCH_DATABASE_URL"))
    workdir = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret",
                      "MAIL_DIR": str(workdir / "mail"), "MAIL_URL": None,
                      "REDIS_URL": None, "RATELIMIT_ENABLED": False,
                      "RATELIMIT_STORAGE_URI": "memory://", "JOBS_INLINE": True,
                      "INSTANCE_PATH": str(workdir / "instance")})
    try:
        with app.app_context():
            upgrade()
            factories.user(email="known@example.be")
            db.session.commit()
            db.session.remove()
            client = app.test_client()
            token = _CSRF.search(client.get("/forgot-password").get_data(as_text=True))[1]
            times: dict[str, list[float]] = {"known": [], "unknown": []}
            addresses = {"known": "known@example.be", "unknown": "nobody@example.be"}
            for n in range(args.repeat + 10):
                for kind in (("known", "unknown") if n % 2 else ("unknown", "known")):
                    started = time.perf_counter()
                    response = client.post("/forgot-password", data={
                        "csrf_token": token, "email": addresses[kind]})
                    elapsed = time.perf_counter() - started
                    assert response.status_code == 302, response.status_code
                    response.close()  # the delivery after the response, not timed
                    if n >= 10:  # the first rounds warm up templates and connections
                        times[kind].append(elapsed * 1000)
            db.engine.dispose()
    finally:
        drop()
    known, unknown = (statistics.median(times[k]) for k in ("known", "unknown"))
    print(f"database: {make_url(url).get_backend_name()}, {args.repeat} requests each")
    print(f"known address   median {known:.2f} ms")
    print(f"unknown address median {unknown:.2f} ms")
    print(f"difference      {known - unknown:+.2f} ms")


if __name__ == "__main__":
    main()
