"""Run the locust load test against gunicorn on a seeded database, and report per step.

    .venv/bin/python benchmarks/load.py [--users 100] [--spawn-rate 10] [--duration 60]
                                        [--rows 50000] [--candidates 2000] [--workers 4]
    BENCH_DATABASE_URL=postgresql+psycopg://root@127.0.0.1:5432/bench_load ...

Seeds --rows applications in a queue intake (as benchmarks/review_queue_bench.py does),
an open intake with information sessions, a cohort with one invitation per candidate and
recruiter accounts; starts gunicorn on a free loopback port; runs
benchmarks/locustfile.py headless for --duration seconds; prints p50, p95 and errors
per step; stops gunicorn and drops the database. Exit status 1 when any request failed.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import pyotp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.review_queue_bench import _database  # noqa: E402
from benchmarks.review_queue_bench import seed as seed_queue  # noqa: E402

PASSWORD = "load test password of some length"  # noqa: S105
STEPS = {
    "contact": {"phone": "0470 12 34 56", "street": "Kerkstraat", "house_number": "12",
                "box": "", "postcode": "2000", "municipality": "Antwerpen"},
    "education": {"level": "secondary_upper", "field_of_study": "Sciences",
                  "driving_licence": "y"},
    "preferences": {"choice_1": "air", "choice_2": "land", "choice_3": "",
                    "functions": "technical"},
    "health": {"chronic_condition": "no", "medication": "no", "recent_injury": "no",
               "sport_limits": "no"},
    "consent": {"consent": "y"},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(app, rows: int, candidates: int, workdir: Path) -> dict:
    from portal.accounts import second_factor
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.applications.intakes.models import InfoSession
    from portal.applications.models import Application, Intake
    from portal.extensions import db
    from portal.invitations import codes
    from portal.invitations.models import Cohort, Invitation, Person
    from portal.invitations.sample import national_number
    from portal.invitations.services import nn_hash
    from portal.models import utcnow

    queue_intake_id, _recruiter = seed_queue(db, rows)
    today = date.today()
    intake = Intake(name="Load intake", applications_open=today - timedelta(days=5),
                    applications_close=today + timedelta(days=60),
                    start_date=today + timedelta(days=120), quota_total=1000,
                    quota_land=700, quota_air=150, quota_navy=100, quota_medical=30,
                    quota_cyber=20)
    db.session.add(intake)
    db.session.flush()
    starts = datetime.combine(today + timedelta(days=10), dtime(14, 0), tzinfo=utcnow().tzinfo)
    sessions = [InfoSession(intake_id=intake.id, starts_at=starts + timedelta(days=i),
                            place=f"Kwartier {i}", languages="nl,fr", capacity=100_000)
                for i in range(5)]
    db.session.add_all(sessions)
    born = date(today.year - 20, 3, 1)
    cohort = Cohort(name="Load cohort", born_from=date(born.year, 1, 1),
                    born_to=date(born.year, 12, 31), expires_on=today + timedelta(days=90))
    db.session.add(cohort)
    db.session.flush()
    invitations = []
    for i in range(candidates):
        birth = born + timedelta(days=i // 997)
        number = national_number(birth, i % 997 + 1)
        person = Person(cohort_id=cohort.id, nn_hash=nn_hash(number), national_number=number,
                        last_name=f"Load{i}", first_names=f"Kandidaat{i}", birth_date=birth,
                        sex="M" if (i % 997 + 1) % 2 else "F", street="Kerkstraat",
                        house_number=str(i % 200 + 1), postcode="2000",
                        municipality="Antwerpen", nis_code="11002", region="flanders",
                        language="nl")
        db.session.add(person)
        db.session.flush()
        code = codes.generate()
        db.session.add(Invitation(person_id=person.id, cohort_id=cohort.id,
                                  reference=f"INV-LOAD-{i:06d}", code_hash=codes.hash_code(code),
                                  expires_on=cohort.expires_on))
        invitations.append({"code": code, "birth_date": birth.isoformat(),
                            "national_number": number, "first_name": f"Kandidaat{i}",
                            "last_name": f"Load{i}"})
    hashed = hash_password(PASSWORD)
    # One account per virtual recruiter, each with two-step verification on (a code is
    # used only once per account, as with a real authenticator app).
    recruiters = []
    for i in range(max(10, candidates // 10)):
        email, secret = f"load-recruiter{i}@mil.be", pyotp.random_base32()
        recruiter = User(email=email, password_hash=hashed, role="recruiter", language="nl",
                         first_name="Load", last_name="Recruiter", totp_enabled_at=utcnow(),
                         email_verified_at=utcnow())
        second_factor.set_secret(recruiter, secret)  # stored encrypted, as enrolment does
        db.session.add(recruiter)
        recruiters.append({"email": email, "totp_secret": secret})
    db.session.commit()

    def ids(status):
        return db.session.scalars(db.select(Application.id).where(
            Application.intake_id == queue_intake_id, Application.status == status)
            .order_by(Application.id).limit(5000)).all()

    fixtures = {
        "intake_id": intake.id, "queue_intake_id": queue_intake_id,
        "session_ids": [s.id for s in sessions], "invitations": invitations,
        "recruiters": recruiters, "password": PASSWORD,
        "submitted_ids": ids("submitted"), "tests_passed_ids": ids("tests_passed"),
        "mail_dir": str(workdir / "mail"),
        "steps": {"personal": {"nationality": "belgian", "language": "nl"}, **STEPS,
                  "motivation": {"earliest_start": intake.start_date.isoformat(),
                                 "motivation": "I want to learn to work in a team and "
                                               "serve my country."}},
    }
    db.session.remove()
    return fixtures


def report(prefix: Path) -> tuple[list[tuple], int]:
    """Rows (step, requests, failures, p50, p95) from locust's CSV, and total failures."""
    rows, failures = [], 0
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated":
                failures = int(row["Failure Count"])
                rows.append(("all steps", row))
                continue
            rows.append((row["Name"], row))
    return rows, failures


def print_profile(workdir: Path) -> None:
    """Per URL rule: requests, the server thread's CPU (mean, total) and wall time (p50)."""
    rules: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    for path in workdir.glob("profile.*"):
        for line in path.read_text().splitlines():
            method, rule, wall, cpu, sql = line.split("\t")
            rules.setdefault((method, rule), []).append((float(wall), float(cpu), int(sql)))
    total = sum(row[1] for rows in rules.values() for row in rows)
    print(f"\nserver CPU per page (request threads only; {total / 1000:.1f} s in all)\n")
    print(f"{'page':56} {'requests':>8} {'CPU ms':>7} {'CPU s':>6} {'SQL':>4} {'wall p50':>8}")
    for (method, rule), rows in sorted(rules.items(), key=lambda kv: -sum(r[1] for r in kv[1])):
        walls = sorted(row[0] for row in rows)
        cpu = sum(row[1] for row in rows)
        sql = sum(row[2] for row in rows) / len(rows)
        print(f"{method + ' ' + rule:56.56} {len(rows):>8} {cpu / len(rows):>7.1f} "
              f"{cpu / 1000:>6.1f} {sql:>4.1f} {walls[len(walls) // 2]:>8.0f}")


def _queue(workers: int) -> str | None:
    """The Redis of the job queue (BENCH_REDIS_URL, else database 14 on loopback), when
    queue workers are asked for and it answers."""
    if workers <= 0:
        return None
    from redis import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/14"
    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except (RedisError, OSError):
        print(f"no Redis at {url}: letters and mail are made in the web processes")
        return None
    return url


def _letters_left(app, deadline: float) -> dict:
    """Letters issued, and those still pending once the queue had until `deadline`."""
    from portal.extensions import db
    from portal.letters.models import Letter
    from portal.letters.pending import LETTERS
    from portal.outbox import Delivery

    with app.app_context():
        while True:
            pending = db.session.scalar(db.select(db.func.count(Delivery.id)).where(LETTERS)) or 0
            db.session.rollback()
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        issued = db.session.scalar(db.select(db.func.count(Letter.id))) or 0
        db.session.remove()
    return {"issued": issued, "pending": pending}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per gunicorn worker (gthread when above 1)")
    parser.add_argument("--think", default="1,3",
                        help="seconds a user waits between two pages: low,high")
    parser.add_argument("--queue-workers", type=int, default=1,
                        help="RQ workers (`flask jobs worker`, at nice 10) that render the "
                             "letters and send the mail, as in production; 0: no queue, "
                             "the web processes do it after each commit")
    parser.add_argument("--profile", action="store_true",
                        help="also print the server's CPU time per page (URL rule)")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    workdir = Path(tempfile.mkdtemp(prefix="load-"))
    url, drop = _database(os.environ.get("BENCH_DATABASE_URL"))
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load-test-secret",
           "MAIL_DIR": str(workdir / "mail"), "PORTAL_ENV": "development",
           "BASE_URL": "http://127.0.0.1", "JOBS_INLINE": "true",
           # Every virtual user comes from 127.0.0.1: lift the per-address throttles.
           "LOGIN_LIMIT": "1000000 per minute", "CODE_LIMIT": "1000000 per minute"}
    env.pop("MAIL_URL", None)
    env.pop("REDIS_URL", None)
    queue = _queue(args.queue_workers)
    if queue:
        env.update(REDIS_URL=queue, JOBS_INLINE="false", RQ_QUEUE=f"load-{os.getpid()}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "load-test-secret",
                      "MAIL_DIR": env["MAIL_DIR"], "REDIS_URL": None,
                      "RATELIMIT_STORAGE_URI": "memory://"})
    gunicorn, workers = None, []
    try:
        started = time.perf_counter()
        with app.app_context():
            upgrade()
            fixtures = seed(app, args.rows, args.candidates, workdir)
            db.engine.dispose()
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
        (workdir / "fixtures.json").write_text(json.dumps(fixtures))
        port = _free_port()
        bin_dir = Path(sys.executable).parent
        gunicorn = subprocess.Popen(
            [str(bin_dir / "gunicorn"), "--workers", str(args.workers), "--threads",
             str(args.threads), "--keep-alive", "10", "--bind",
             f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning",
             "benchmarks.profiled_wsgi:app" if args.profile else "wsgi:app"],
            cwd=ROOT, env={**env, "LOAD_PROFILE": str(workdir / "profile")},
            stdout=subprocess.DEVNULL,
            stderr=(workdir / "gunicorn.log").open("w"))
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or gunicorn.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        # Every gunicorn worker's first pages compile their templates and load the
        # catalogues: a server that just started, not one at work. A few rounds of the
        # public pages first, unmeasured.
        for _round in range(5 * args.workers):
            for page in ("/", "/start", "/login", "/apply"):
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=10)
        workers = [subprocess.Popen(
            [str(bin_dir / "flask"), "--app", "portal", "jobs", "worker"], cwd=ROOT, env=env,
            preexec_fn=lambda: os.nice(10), stdout=subprocess.DEVNULL,
            stderr=(workdir / f"worker{i}.log").open("w"))
            for i in range(args.queue_workers if queue else 0)]
        prefix = workdir / "stats"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [str(bin_dir / "locust"), "-f", str(ROOT / "benchmarks" / "locustfile.py"),
             "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", f"{args.duration}s", "--stop-timeout", "10",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
             "--loglevel", "WARNING"],
            cwd=ROOT, env={**env, "LOAD_FIXTURES": str(workdir / "fixtures.json"),
                          "LOAD_THINK": args.think},
            check=False, stdout=subprocess.DEVNULL,
            stderr=(workdir / "locust.log").open("w"))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        letters_left = _letters_left(app, deadline=time.monotonic() + 60)
        locust_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        rows, failures = report(prefix)
        backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"\n{backend}, {args.rows:,} applications, {args.users} users, "
              f"{args.duration} s, {args.think.replace(',', '–')} s between pages, "
              f"gunicorn {args.workers} workers × {args.threads} threads\n")
        print(f"{'step':36} {'requests':>8} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7}")
        for name, row in rows:
            print(f"{name:36} {row['Request Count']:>8} {row['Failure Count']:>7} "
                  f"{row['50%']:>7} {row['95%']:>7}")
        where = (f"on {len(workers)} RQ worker(s) at nice 10" if workers
                 else "in the web processes after each commit")
        print(f"\nletters and mail: {where}; {letters_left['issued']} letters issued, "
              f"{letters_left['pending']} still pending a minute after the run")
        print(f"locust's own CPU: {locust_cpu:.0f} s of the machine's "
              f"{os.cpu_count() * args.duration} s ({os.cpu_count()} cores × {args.duration} s)")
        if args.profile:
            print_profile(workdir)
        if failures:
            with open(f"{prefix}_failures.csv", newline="") as f:
                for row in csv.DictReader(f):
                    print(f"FAILED {row['Name']}: {row['Error'][:200]} x{row['Occurrences']}")
            print((workdir / "locust.log").read_text()[-3000:])
        return 1 if failures or letters_left["pending"] else 0
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        with app.app_context():
            db.engine.dispose()
        drop()


if __name__ == "__main__":
    sys.exit(main())
