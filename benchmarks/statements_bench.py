"""Yearly compensation statements for 5,000 enterprises: the bulk run, timed.

    .venv/bin/python benchmarks/statements_bench.py [--enterprises 5000] [--workers 2]
    BENCH_DATABASE_URL=postgresql+psycopg://root@127.0.0.1:5432/bench_statements ...

Seeds N enterprises with 1–3 signed agreements each (reservists, terms), and attendance
from a synthetic period source (days served per reservist), then runs what
`flask employers statements --year Y --out DIR` runs: the statement letter run (each
statement laid out in full and archived, print batches and their manifest) over --workers
processes, then each enterprise's PDF and CSV. Prints the figures.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text

from benchmarks.review_queue_bench import _database

YEAR = 2027
NAMES = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Dubois",
         "Lambert", "Dupont", "Martin", "Simon", "Schmitz", "Müller"]


class SyntheticAttendance:
    """Days served per reservist, derived from the id: the same in every worker process."""

    def planned(self, reservist_ids, since):
        return []

    def period(self, key):
        return None

    def served_days(self, reservist_ids, year):
        return {rid: 3 + rid % 17 for rid in reservist_ids}


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the workers)."""
    own, children = (resource.getrusage(who) for who in
                     (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _enterprise_number(i: int) -> str:
    base = 4_100_000 + i
    return f"{base:08d}{97 - base % 97:02d}"


def seed(db, enterprises: int) -> int:
    from portal.accounts.models import User
    from portal.employers.models import Agreement, AgreementTerms, Employer

    rng = random.Random(11)
    now = datetime.now(UTC)
    signed = datetime(YEAR, 2, 1, tzinfo=UTC)
    terms = AgreementTerms(days_per_year=15, notice_days=60, compensation_cents=12000,
                           announcement="portal", digest="bench")
    db.session.add(terms)
    db.session.flush()
    db.session.execute(insert(Employer), [
        {"enterprise_number": _enterprise_number(i), "name": f"Onderneming {i} BV",
         "joint_committee": "200", "language": rng.choice(["nl"] * 6 + ["fr"] * 4 + ["de"]),
         "created_at": now, "updated_at": now} for i in range(enterprises)])
    employer_ids = db.session.scalars(db.select(Employer.id).order_by(Employer.id)).all()
    pairs = [(e, rng.randint(1, 3)) for e in employer_ids]
    total = sum(n for _e, n in pairs)
    db.session.execute(insert(User), [
        {"email": f"reservist{i}@example.be", "role": "citizen", "language": "nl",
         "first_name": f"Reservist{i}", "last_name": NAMES[i % len(NAMES)],
         "active": True, "created_at": now, "updated_at": now}
        for i in range(total)])
    first = db.session.scalar(db.select(User.id).where(User.email == "reservist0@example.be"))
    rows, n = [], 0
    for employer_id, count in pairs:
        for _ in range(count):
            rows.append({"employer_id": employer_id, "reservist_id": first + n,
                         "status": "signed", "terms_id": terms.id, "version": 2,
                         "signed_name": "HR", "signed_function": "HR", "signed_at": signed,
                         "status_changed_at": signed, "created_at": now, "updated_at": now})
            n += 1
    db.session.execute(insert(Agreement), rows)
    db.session.commit()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int,
                        default=int(os.environ.get("BENCH_ENTERPRISES", 5000)))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from portal import create_app
    from portal.employers import statements
    from portal.extensions import db
    from portal.jobs import Job
    from portal.letters import runner, runs

    url, drop = _database(os.environ.get("BENCH_DATABASE_URL"))
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
              "REDIS_URL": None, "MAIL_URL": None, "JOBS_INLINE": True,
              "RATELIMIT_STORAGE_URI": "memory://", "LETTER_WORKERS": args.workers,
              "TODAY": f"{YEAR + 1}-01-10",  # a year's statements are made once it is over
              "EMPLOYER_PERIOD_SOURCE": "benchmarks.statements_bench:SyntheticAttendance"}
    app = create_app(config)
    out = Path(tempfile.mkdtemp()) / "statements"
    try:
        with app.app_context():
            upgrade()
            start = time.perf_counter()
            reservists = seed(db, args.enterprises)
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            print(f"seeded {args.enterprises:,} enterprises, {reservists:,} signed agreements "
                  f"in {time.perf_counter() - start:.1f} s")
            cpu_before = _cpu()
            started = time.perf_counter()
            job = runs.start(statements.SOURCE.name, YEAR, out, actor=None)
            db.session.commit()
            runner.execute(job.id)
            files = statements.write_files(YEAR, out)
            seconds = time.perf_counter() - started
            cpu = _cpu() - cpu_before
            db.session.expire_all()
            job = db.session.get(Job, job.id)
            size = sum(p.stat().st_size for p in out.iterdir())
            pdfs = [p for p in out.iterdir() if p.name.startswith("statement-")
                    and p.suffix == ".pdf"]
            n = job.total
            print(f"{n:,} statements (letter run: {job.done:,} archived, {job.failed} failed, "
                  f"{runs.count_batches(job)} print batches; then a PDF + CSV per enterprise) "
                  f"with {args.workers} workers: {seconds:.1f} s wall, "
                  f"{n / seconds:.1f} statements/s")
            print(f"CPU: {cpu:.0f} s in all, {cpu / n * 1000:.0f} ms per statement "
                  f"(on an otherwise idle machine: about {cpu / args.workers:.0f} s wall)")
            print(f"files: {files:,} of the enterprises and the run's batches, "
                  f"{size / 1e6:.1f} MB, "
                  f"{sum(p.stat().st_size for p in pdfs) / len(pdfs) / 1000:.1f} kB per PDF; "
                  f"load average {os.getloadavg()[0]:.1f}")
    finally:
        with app.app_context():
            db.engine.dispose()
        drop()
        shutil.rmtree(out.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
