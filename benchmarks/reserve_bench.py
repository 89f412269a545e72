"""The Reserve's staff pages with 10,000 reservists and 2,000 training periods.

    .venv/bin/python benchmarks/reserve_bench.py [--reservists 10000] [--periods 2000]
    BENCH_DATABASE_URL=postgresql+psycopg://root@127.0.0.1:5432/bench_reserve ...

Without BENCH_DATABASE_URL it uses a throwaway SQLite file. Seeds 50 units, the
reservists (each assigned to about three periods of their unit), then times each page
(median and worst of --repeat runs after a warm-up) and counts its SQL statements.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, text
from sqlalchemy.engine import make_url

from benchmarks.review_queue_bench import (
    _database,
    _session_key,
    _signed_in,
    _time,
)

UNITS = 50
PILLARS = ["combat"] * 3 + ["territorial"] * 2 + ["specialised"]
PROVINCES = ["antwerp", "limburg", "east_flanders", "west_flanders", "flemish_brabant",
             "brussels", "walloon_brabant", "hainaut", "liege", "luxembourg", "namur"]
NAMES = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Dubois",
         "Lambert", "Dupont", "Martin", "Simon", "Schmitz"]


def seed(db, reservists: int, periods: int):
    from portal.accounts.models import User
    from portal.models import utcnow
    from portal.reserve.models import (
        Assignment,
        Engagement,
        TrainingPeriod,
        Unit,
        UnitMember,
    )

    rng = random.Random(11)
    now = utcnow()
    year = date.today().year
    start = time.perf_counter()
    staff = [User(email=f"bench-{r}@example.be", role=r, language="en", first_name="Bench",
                  last_name=r) for r in ("recruiter", "admin", "unit_staff")]
    db.session.add_all(staff)
    units = [Unit(code=f"U{i:03d}", name=f"Unit {i:03d}", pillar=PILLARS[i % len(PILLARS)],
                  province=PROVINCES[i % len(PROVINCES)], place="Garrison", places=200)
             for i in range(UNITS)]
    db.session.add_all(units)
    db.session.flush()
    db.session.add(UnitMember(unit_id=units[0].id, user_id=staff[2].id))
    db.session.execute(insert(User), [
        {"email": f"reservist{i}@example.be", "role": "citizen", "language": "nl",
         "first_name": f"First{i}", "last_name": NAMES[i % len(NAMES)],
         "session_token": f"bench-{i}", "active": True, "created_at": now, "updated_at": now}
        for i in range(reservists)])
    first = db.session.scalar(db.select(User.id).where(User.email == "reservist0@example.be"))
    statuses = ["active"] * 16 + ["approved", "applied", "screening", "rejected"]
    engagement_rows = []
    for i in range(reservists):
        unit = units[i % UNITS]
        status = rng.choice(statuses)
        engagement_rows.append({
            "reference": f"RSV-BENCH-{i:06d}", "user_id": first + i, "origin": "service_year",
            "status": status, "version": 1, "first_name": f"First{i}",
            "last_name": NAMES[i % len(NAMES)] + f"{i % 89}", "language": "nl",
            "street": "", "postcode": "2000", "province": "antwerp", "pillar": unit.pillar,
            "rank_category": "soldier", "days_per_year": rng.choice([5, 7, 10, 15, 20]),
            "commitment_months": 24, "availability": "part_time", "preferred_province": "",
            "expertise_text": "", "motivation": "",
            "unit_id": unit.id if status in ("active", "approved") else None,
            "start_date": date(year, 1, 1) if status in ("active", "approved") else None,
            "submitted_at": now - timedelta(days=rng.randint(0, 60)), "status_changed_at": now,
            "created_at": now, "updated_at": now})
    db.session.execute(insert(Engagement), engagement_rows)
    period_rows = []
    for i in range(periods):
        begin = date(year, 1, 1) + timedelta(days=rng.randint(0, 350))
        period_rows.append({
            "unit_id": units[i % UNITS].id, "kind": rng.choice(
                ["initial", "refresher", "exercise", "deployment_preparation"]),
            "starts_on": begin, "ends_on": begin + timedelta(days=rng.randint(0, 4)),
            "place": "Training ground", "capacity": 60, "notes": "", "sequence": 0,
            "created_at": now, "updated_at": now})
    db.session.execute(insert(TrainingPeriod), period_rows)
    by_unit: dict[int, list[int]] = {}
    for period_id, unit_id in db.session.execute(db.select(TrainingPeriod.id,
                                                           TrainingPeriod.unit_id)):
        by_unit.setdefault(unit_id, []).append(period_id)
    assignments = []
    serving = db.session.execute(db.select(Engagement.id, Engagement.user_id, Engagement.unit_id)
                                 .where(Engagement.unit_id.is_not(None))).all()
    for engagement_id, user_id, unit_id in serving:
        for period_id in rng.sample(by_unit[unit_id], 3):
            assignments.append({
                "period_id": period_id, "engagement_id": engagement_id, "user_id": user_id,
                "status": rng.choice(["planned", "confirmed", "confirmed", "swap_requested"]),
                "assigned_at": now, "swap_reason": "", "swap_answer": "", "sequence": 0,
                "created_at": now, "updated_at": now})
    for offset in range(0, len(assignments), 10_000):
        db.session.execute(insert(Assignment), assignments[offset:offset + 10_000])
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    print(f"seeded {reservists:,} reservists, {periods:,} periods, {len(assignments):,} "
          f"assignments in {time.perf_counter() - start:.1f} s")
    busiest = db.session.scalar(db.select(Assignment.period_id).join(TrainingPeriod).where(
        TrainingPeriod.unit_id == units[0].id).limit(1))
    return staff, units[0].id, busiest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reservists", type=int, default=10_000)
    parser.add_argument("--periods", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    url, drop = _database(os.environ.get("BENCH_DATABASE_URL"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
                      "REDIS_URL": None, "MAIL_URL": None, "JOBS_INLINE": True})
    year = date.today().year
    try:
        with app.app_context():
            upgrade()
            staff, unit_id, period_id = seed(db, args.reservists, args.periods)
            tokens = {u.role: _session_key(db, u) for u in staff}
            db.session.remove()
            engine = db.engine
        pages = [
            ("recruiter", "engagement queue (undecided)", "/staff/reserve/engagements"),
            ("recruiter", "queue: active, combat, page 20",
             "/staff/reserve/engagements?status=active&pillar=combat&page=20"),
            ("recruiter", "career queue", "/staff/reserve/careers"),
            ("unit_staff", "units list", "/units"),
            ("unit_staff", f"unit page ({year}), reservists page 1", f"/units/{unit_id}"),
            ("unit_staff", "unit page, reservists page 2", f"/units/{unit_id}?page=2"),
            ("unit_staff", "period page (assign, attendance)", f"/units/periods/{period_id}"),
            ("admin", "admin: units and needs", "/admin/reserve/units"),
            ("admin", "units list (all 50)", "/units"),
        ]
        statements = []
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        print(f"{make_url(url).get_backend_name()}, {args.reservists:,} reservists, "
              f"{args.periods:,} periods, {args.repeat} runs per page\n")
        print(f"{'page':44} {'median ms':>10} {'worst ms':>10} {'SQL':>5}")
        for role, label, path in pages:
            _time(_signed_in(app, tokens[role]), label, path, args.repeat, statements,
                  width=44)
    finally:
        with app.app_context():
            db.engine.dispose()
        drop()


if __name__ == "__main__":
    main()
