"""The retention purge on a 150,000-person cohort: seed in bulk, then time `privacy purge`.

    .venv/bin/python benchmarks/purge_bench.py [--persons 150000]
    BENCH_DATABASE_URL=postgresql+psycopg://root@127.0.0.1:5432/bench_purge ...

Seeds an expired cohort of --persons people, each with an invitation and an invitation
letter; a third signed up, and each of those has an application (half of them rejected
long ago, all with health answers), an acknowledgement letter and audit events older than
the audit log's retention. Then runs the dry run, the purge and the purge again (which
must find nothing), and prints the seconds each took and the counts per kind.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text, update

from benchmarks.review_queue_bench import _database

CHUNK = 10_000


def seed(db, persons: int, days: dict) -> None:
    from portal.accounts.models import User
    from portal.applications import health
    from portal.applications.models import Application, Intake
    from portal.audit import AuditEvent
    from portal.invitations.models import Cohort, Invitation, Person
    from portal.letters.models import Letter
    from portal.models import utcnow

    now = utcnow()
    today = date.today()
    expired = today - timedelta(days=days["persons_never_signed_up"] + 30)
    cohort = Cohort(name="Bench cohort", born_from=date(2007, 1, 1), born_to=date(2007, 12, 31),
                    expires_on=expired)
    intake = Intake(name="Bench intake", applications_open=expired - timedelta(days=200),
                    applications_close=expired - timedelta(days=100),
                    start_date=expired, quota_total=1000)
    db.session.add_all([cohort, intake])
    db.session.flush()
    pdf = b"%PDF-1.7 " + b"x" * 1000
    old = now - timedelta(days=max(days.values()) + 10)
    signed_up = persons // 3
    start = time.perf_counter()
    for offset in range(0, persons, CHUNK):
        chunk = range(offset, min(offset + CHUNK, persons))
        db.session.execute(insert(Person), [dict(
            cohort_id=cohort.id, nn_hash=f"{i:064d}", national_number=None,
            last_name=f"Last{i}", first_names=f"First{i}", birth_date=date(2007, 5, 1), sex="M",
            street="Veldstraat", house_number=str(i % 300), box="", postcode="9000",
            municipality="Gent", nis_code="44021", region="flanders", language="nl",
            created_at=now, updated_at=now) for i in chunk])
    first_person = db.session.scalar(db.select(Person.id).where(Person.nn_hash == f"{0:064d}"))
    for offset in range(0, persons, CHUNK):
        chunk = range(offset, min(offset + CHUNK, persons))
        db.session.execute(insert(Invitation), [dict(
            person_id=first_person + i, cohort_id=cohort.id, reference=f"INV-B-{i:07d}",
            code_hash=f"{i:064x}", issued_at=old, expires_on=expired,
            used_at=now if i < signed_up else None) for i in chunk])
        db.session.execute(insert(Letter), [dict(
            kind="invitation", reference=f"INV-L-{i:07d}", person_id=first_person + i,
            cohort_id=cohort.id, languages="nl,fr", template_version="bench", sha256="0" * 64,
            size=len(pdf), page_count=2, created_at=old, pdf=pdf) for i in chunk])
    for offset in range(0, signed_up, CHUNK):
        chunk = range(offset, min(offset + CHUNK, signed_up))
        db.session.execute(insert(User), [dict(
            email=f"bench{i}@example.be", role="citizen", language="nl", first_name=f"F{i}",
            last_name=f"L{i}", session_token=f"bench-{i}", active=True,
            created_at=old, updated_at=old, last_login_at=old)
            for i in chunk])
    first_user = db.session.scalar(db.select(User.id).where(User.email == "bench0@example.be"))
    db.session.execute(update(Person).where(
        Person.id >= first_person, Person.id < first_person + signed_up).values(
        user_id=Person.id - first_person + first_user))
    answers = json.dumps({"personal": {"a": 1}})
    health_answers = health.encrypt_answers({"medication": "no"})  # kept apart, encrypted
    for offset in range(0, signed_up, CHUNK):
        chunk = range(offset, min(offset + CHUNK, signed_up))
        db.session.execute(insert(Application), [dict(
            reference=f"DJ-B-{i:07d}", intake_id=intake.id, user_id=first_user + i,
            status="rejected" if i % 2 else "tests_passed", answers=answers,
            health_answers=health_answers,
            status_changed_at=old, submitted_at=old, decided_at=old, created_at=old,
            updated_at=old) for i in chunk])
        db.session.execute(insert(AuditEvent), [dict(
            at=old, actor_id=first_user + i, action="application.submitted",
            object_type="Application", object_id=str(i), details="{}") for i in chunk])
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    print(f"seeded {persons:,} persons, {signed_up:,} accounts and applications, "
          f"{persons:,} letters in {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=150_000)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.privacy import services

    url, drop = _database(os.environ.get("BENCH_DATABASE_URL"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "RATELIMIT_STORAGE_URI": "memory://", "REDIS_URL": None,
                      "MAIL_URL": None, "JOBS_INLINE": True})
    try:
        with app.app_context():
            upgrade()
            seed(db, args.persons, app.config["RETENTION_DAYS"])
            for label, dry in (("dry run", True), ("purge", False), ("purge again", False)):
                start = time.perf_counter()
                lines = services.purge(dry_run=dry)
                db.session.commit()
                took = time.perf_counter() - start
                counts = ", ".join(f"{x.kind}={x.count}" for x in lines if x.count)
                print(f"{label:12} {took:6.1f} s  {counts or 'nothing'}")
            db.session.remove()
    finally:
        with app.app_context():
            db.engine.dispose()
        drop()


if __name__ == "__main__":
    main()
