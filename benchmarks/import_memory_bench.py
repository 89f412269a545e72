"""Memory of a cohort import at the upload size limit (MAX_CONTENT_LENGTH, 64 MB).

    python benchmarks/import_memory_bench.py [MEGABYTES]

Generates a register extract of that size (one row in ten rejected, the rest new persons)
into a temporary file, then imports it in a fresh process on SQLite the way the upload and
`flask invitations import` do (a stream, never the whole file in memory) and prints that
process's peak resident memory. Target: under 500 MB.
"""
from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MB = 500
BORN_FROM, BORN_TO = date(2006, 1, 1), date(2008, 12, 31)


def generate(path: Path, megabytes: float) -> int:
    """Write rows until the file reaches `megabytes`; returns how many."""
    import random
    from datetime import timedelta

    from portal.invitations import sample

    rng = random.Random(1)
    limit = int(megabytes * 1024 * 1024)
    days = (BORN_TO - BORN_FROM).days + 1
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(sample.HEADER)
        while fh.tell() < limit - 200:
            birth = BORN_FROM + timedelta(days=count % days)
            postcode, municipality, street = sample.ADDRESSES[rng.randrange(len(sample.ADDRESSES))]
            writer.writerow([
                sample.national_number(birth, count // days + 1), rng.choice(sample.LAST_NAMES),
                rng.choice(sample.FIRST_NAMES),
                # one row in ten born outside the cohort: rejected, with its problems reported
                "01/01/1990" if count % 10 == 0 else birth.strftime("%d/%m/%Y"),
                street, str(rng.randint(1, 200)), "", postcode, municipality, ""])
            count += 1
    return count


def child(path: str, workdir: str) -> None:
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.invitations import importer, services

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/bench.sqlite3", "SECRET_KEY": "bench",
        "MAIL_DIR": os.path.join(workdir, "mail"), "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://", "INSTANCE_PATH": workdir,
    })
    with app.app_context():
        upgrade()
        cohort = services.create_cohort("Bench", BORN_FROM, BORN_TO, date(2027, 6, 30),
                                        actor=None)
        db.session.commit()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        with open(path, "rb") as stream:
            record = importer.import_csv(cohort, stream, actor=None, filename="bench.csv")
        db.session.commit()
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"rows": record.rows, "created": record.created,
                          "rejected": record.rejected, "problems": record.problems,
                          "seconds": round(seconds, 1), "peak_mb": round(peak),
                          "before_import_mb": round(before)}))


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 64.0
    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / "extract.csv"
        generate(path, megabytes)
        size = path.stat().st_size / 1024 / 1024
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path), workdir],
            check=True, capture_output=True, text=True).stdout
        figures = json.loads(out.strip().splitlines()[-1])
    verdict = "OK" if figures["peak_mb"] < TARGET_MB else "TOO MUCH"
    print(f"import memory: {size:.1f} MB file, {figures['rows']:,} rows "
          f"({figures['created']:,} created, {figures['rejected']:,} rejected), "
          f"{figures['seconds']} s, peak {figures['peak_mb']} MB "
          f"({figures['before_import_mb']} MB before the import) {verdict}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
