"""Import benchmark: a generated cohort file of valid register rows, imported and timed.

    python benchmarks/import_bench.py [ROWS]        # default 150,000 rows

Runs on a fresh SQLite file and, when TEST_DATABASE_URL or DATABASE_URL names a PostgreSQL
server, on a throwaway PostgreSQL database too. Target: 150,000 rows in under 60 s.
`run(rows)` returns the figures for benchmarks/run.py.
"""
from __future__ import annotations

import os
import secrets
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_SECONDS = 60.0


def _postgres_base() -> str | None:
    for name in ("TEST_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgresql", "postgres:")):
            return url
    return None


def _throwaway_postgres(base: str):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base.replace("postgres://", "postgresql+psycopg://", 1)
                   .replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database}_import_bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def _time_import(database_url: str, data: bytes, workdir: str) -> dict:
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.invitations import importer, services

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
        "MAIL_DIR": os.path.join(workdir, "mail"), "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    with app.app_context():
        upgrade()
        cohort = services.create_cohort("Bench", date(2008, 1, 1), date(2008, 12, 31),
                                        date(2027, 6, 30), actor=None)
        db.session.commit()
        started = time.perf_counter()
        record = importer.import_csv(cohort, data, actor=None, filename="bench.csv")
        db.session.commit()
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = importer.import_csv(cohort, data, actor=None, filename="bench.csv")
        db.session.commit()
        second = time.perf_counter() - started
        result = {"seconds": round(first, 2), "created": record.created,
                  "rejected": record.rejected, "reimport_seconds": round(second, 2),
                  "reimport_created": again.created,
                  "rows_per_second": int(record.rows / first) if first else 0}
        db.session.remove()
        db.engine.dispose()
    return result


def run(rows: int = 150_000) -> dict:
    from portal.invitations.sample import csv_bytes
    from portal.invitations.sample import rows as sample_rows

    started = time.perf_counter()
    data = csv_bytes(sample_rows(rows, date(2008, 1, 1), date(2008, 12, 31)))
    figures: dict = {"rows": rows, "file_mb": round(len(data) / 1e6, 1),
                     "generate_seconds": round(time.perf_counter() - started, 2),
                     "target_seconds": TARGET_SECONDS}
    with tempfile.TemporaryDirectory() as workdir:
        figures["sqlite"] = _time_import(f"sqlite:///{workdir}/bench.sqlite3", data, workdir)
        base = _postgres_base()
        if base:
            url, drop = _throwaway_postgres(base)
            try:
                figures["postgresql"] = _time_import(url, data, workdir)
            finally:
                drop()
    return figures


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 150_000
    figures = run(rows)
    print(f"import benchmark: {figures['rows']:,} rows ({figures['file_mb']} MB, generated in "
          f"{figures['generate_seconds']} s), target < {TARGET_SECONDS:.0f} s")
    for name in ("sqlite", "postgresql"):
        if name in figures:
            f = figures[name]
            verdict = "OK" if f["seconds"] < TARGET_SECONDS else "TOO SLOW"
            print(f"  {name:<10} import {f['seconds']:>6} s ({f['rows_per_second']:,} rows/s, "
                  f"{f['created']:,} created, {f['rejected']} rejected) {verdict}; "
                  f"re-import {f['reimport_seconds']} s, {f['reimport_created']} created")
        else:
            print(f"  {name:<10} skipped (set TEST_DATABASE_URL to a PostgreSQL server)")


if __name__ == "__main__":
    main()
