"""Recruiter and medical queues with 50,000 applications: seed in bulk, then time the page
per filter.

    .venv/bin/python benchmarks/review_queue_bench.py [--rows 50000] [--repeat 5]
    BENCH_DATABASE_URL=postgresql+psycopg://root@127.0.0.1:5432/bench_queue ...

Without BENCH_DATABASE_URL it uses a throwaway SQLite file. On PostgreSQL the named
database is created (and dropped afterwards). Prints milliseconds per page (median and
worst of --repeat runs, after one warm-up) and the SQL statements each page cost.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import make_url

FILTERS = {
    "first page, default sort": "",
    "status=screening": "?status=screening",
    "component=land & language=fr": "?component=land&language=fr",
    "province=Antwerpen, sort by score": "?province=Antwerpen&sort=-score",
    "search by name prefix": "?q=pee",
    "search by reference": "?q=dj-2099-049999",
    "overdue only": "?flagged=1",
    "page 500": "?page=500",
}
# The medical staff's queue over the same applications: those with tests scheduled, each
# convoked to one of 30 selection days, every second one with its medical test recorded.
MEDICAL_PAGES = {
    "medical: pending, first page": "",
    "medical: pending, page 20": "?page=20",
    "medical: recorded": "?show=decided",
    "medical: every convoked of the intake": "?show=all&intake={intake}",
    "medical: past the last page": "?page=9999",
}
STATUSES = ["submitted"] * 5 + ["screening"] * 3 + ["tests_scheduled"] * 2 + [
    "tests_passed", "tests_failed", "waitlisted", "rejected", "selected"]
NAMES = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
         "Wouters", "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Schmitz", "Müller"]
PROVINCES = ["Antwerpen", "Oost-Vlaanderen", "West-Vlaanderen", "Vlaams-Brabant", "Limburg",
             "Hainaut", "Liège", "Namur", "Luxembourg", "Brabant wallon", ""]


def _database(url: str | None) -> tuple[str, callable]:
    if not url:
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: None
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


def seed(db, rows: int):
    from portal.accounts.models import User
    from portal.applications.models import Application, Intake
    from portal.models import utcnow

    rng = random.Random(7)
    today = date.today()
    intake = Intake(name="Bench intake", applications_open=today - timedelta(days=60),
                    applications_close=today + timedelta(days=30),
                    start_date=today + timedelta(days=120), quota_total=1000, quota_land=700,
                    quota_air=150, quota_navy=100, quota_medical=30, quota_cyber=20)
    db.session.add(intake)
    recruiter = User(email="bench-recruiter@example.be", role="recruiter", language="en",
                     first_name="Bench", last_name="Recruiter")
    db.session.add(recruiter)
    db.session.flush()
    now = utcnow()
    start = time.perf_counter()
    for offset in range(0, rows, 10_000):
        chunk = range(offset, min(offset + 10_000, rows))
        db.session.execute(insert(User), [
            {"email": f"bench{i}@example.be", "role": "citizen", "language": "nl",
             "first_name": f"First{i}", "last_name": NAMES[i % len(NAMES)],
             "session_token": f"bench-token-{i}", "active": True,
             "created_at": now, "updated_at": now} for i in chunk])
    first_user = db.session.scalar(db.select(User.id).where(User.email == "bench0@example.be"))
    for offset in range(0, rows, 10_000):
        chunk = range(offset, min(offset + 10_000, rows))
        values = []
        for i in chunk:
            status = rng.choice(STATUSES)
            changed = now - timedelta(days=rng.randint(0, 40))
            values.append({
                "reference": f"DJ-2099-{i:06d}", "intake_id": intake.id, "user_id": first_user + i,
                "status": status, "version": 1, "first_name": f"First{i}",
                "last_name": NAMES[i % len(NAMES)] + f"{i % 97}",
                "language": rng.choice(["nl"] * 6 + ["fr"] * 4 + ["de"]),
                "postcode": "2000", "province": rng.choice(PROVINCES),
                "component": rng.choice(["land"] * 6 + ["air", "navy", "medical", "cyber"]),
                "answers": "{}", "last_step": "consent",
                "score": round(rng.uniform(30, 100), 2) if status not in (
                    "submitted", "screening", "tests_scheduled") else None,
                "submitted_at": changed - timedelta(days=rng.randint(0, 20)),
                "status_changed_at": changed,
                "offer_deadline": today + timedelta(days=rng.randint(-3, 10))
                if status == "selected" else None,
                "created_at": now, "updated_at": now,
            })
        db.session.execute(insert(Application), values)
    db.session.commit()
    # Fresh planner statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE would give.
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    print(f"seeded {rows:,} users and applications in {time.perf_counter() - start:.1f} s")
    return intake.id, recruiter


def seed_medical(db, intake_id: int):
    from portal.accounts.models import User
    from portal.applications.intakes.models import SelectionDay
    from portal.applications.models import Application, Convocation, TestResult

    days = [SelectionDay(intake_id=intake_id, day=date.today() + timedelta(days=d),
                         place="Bench selection centre", capacity=1000) for d in range(30)]
    db.session.add_all(days)
    doctor = User(email="bench-doctor@example.be", role="medical_staff", language="en",
                  first_name="Bench", last_name="Doctor")
    db.session.add(doctor)
    db.session.flush()
    ids = db.session.scalars(db.select(Application.id).where(
        Application.status == "tests_scheduled").order_by(Application.id)).all()
    db.session.execute(insert(Convocation), [
        {"application_id": id_, "selection_day_id": days[n % len(days)].id}
        for n, id_ in enumerate(ids)])
    db.session.execute(insert(TestResult), [
        {"application_id": id_, "kind": "medical", "passed": n % 10 != 0}
        for n, id_ in enumerate(ids) if n % 2 == 0])
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    print(f"convoked {len(ids):,} applications, half with the medical test recorded")
    return doctor


def _session_key(db, user) -> str:
    """A server-side session of `user`, the staff second factor given, as a login makes."""
    from portal.accounts import sessions
    from portal.models import utcnow

    record = sessions.start(user, "password")
    record.second_factor_at = utcnow()
    db.session.commit()
    return record.key


def _signed_in(app, token: str):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def _time(client, label: str, path: str, repeat: int, statements: list,
          width: int = 40) -> None:
    """Print the median and worst time of `repeat` requests for `path`, and its SQL count
    (`statements` is filled by an engine event); also used by reserve_bench."""
    assert client.get(path).status_code == 200, path
    times = []
    for _ in range(repeat):
        statements.clear()
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    print(f"{label:{width}} {statistics.median(times):10.1f} {max(times):10.1f} "
          f"{len(statements):5d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    url, drop = _database(os.environ.get("BENCH_DATABASE_URL"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
                      "REDIS_URL": None, "MAIL_URL": None, "JOBS_INLINE": True})
    try:
        with app.app_context():
            upgrade()
            intake_id, recruiter = seed(db, args.rows)
            token = _session_key(db, recruiter)
            doctor_token = _session_key(db, seed_medical(db, intake_id))
            db.session.remove()
        client, doctor = _signed_in(app, token), _signed_in(app, doctor_token)
        with app.app_context():
            engine = db.engine
        statements = []
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        print(f"{make_url(url).get_backend_name()}, "
              f"{args.rows:,} applications, {args.repeat} runs per page\n")
        print(f"{'page':40} {'median ms':>10} {'worst ms':>10} {'SQL':>5}")
        for label, query in FILTERS.items():
            _time(client, label, f"/review/intakes/{intake_id}{query}", args.repeat,
                  statements)
        for label, query in MEDICAL_PAGES.items():
            _time(doctor, label, "/medical/" + query.format(intake=intake_id), args.repeat,
                  statements)
    finally:
        with app.app_context():
            db.engine.dispose()
        drop()


if __name__ == "__main__":
    main()
