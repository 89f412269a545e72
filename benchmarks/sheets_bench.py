"""`make bench`: paper. Sheets of paper per 1,000 invitation letters of a realistic mixed
cohort (benchmarks/cohort.py: the proportions of the first real invitation run, about 61 %
Dutch-first, 38 % French-first and 0.6 % German-area letters), printed duplex as a letter
run's print batches hand them to the print shop (every letter starts on a front side).

Counted from the batch files themselves (their pages, two to a sheet) and the archived
letters (their own pages): what the print shop would feed, blank backs included.

    python benchmarks/sheets_bench.py [--letters 1000] [--workers 2]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import cohort as generated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=int(os.environ.get("BENCH_SHEETS", 1000)))
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-sheets-"))
    from flask_migrate import upgrade

    from portal import create_app

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "REDIS_URL": None, "JOBS_INLINE": True, "LETTER_WORKERS": args.workers,
        "BASE_URL": "https://dienstjaar.mil.be", "MAIL_DIR": str(workdir / "mail"),
        "SECRET_KEY": "bench",
    })
    with app.app_context():
        upgrade()
        print(sheets(args.letters, workdir))


def sheets(count: int, workdir: Path) -> str:
    from pypdf import PdfReader

    from portal.extensions import db
    from portal.invitations import letters as invitation
    from portal.invitations.importer import import_csv
    from portal.invitations.models import Cohort
    from portal.letters import runner
    from portal.letters.models import Letter

    year = date.today().year - 18
    cohort = Cohort(name="bench-sheets", born_from=date(year, 1, 1),
                    born_to=date(year, 12, 31), expires_on=date(year + 19, 6, 30))
    db.session.add(cohort)
    db.session.flush()
    import_csv(cohort, generated.csv_bytes(count, year), None, "bench.csv")
    db.session.commit()
    job = invitation.start_run(cohort, workdir / "run", actor=None, batch_size=250)
    db.session.commit()
    runner.execute(job.id)
    db.session.expire_all()

    letters = list(db.session.scalars(db.select(Letter).where(Letter.job_id == job.id)))
    batch_pages = sum(len(PdfReader(path).pages)
                      for path in sorted((workdir / "run").glob("batch-*.pdf")))
    letter_pages = sum(letter.page_count for letter in letters)
    by_order: dict[str, Counter] = defaultdict(Counter)
    for letter in letters:
        by_order[letter.languages]["letters"] += 1
        by_order[letter.languages]["sheets"] += (letter.page_count + 1) // 2
    n = len(letters)
    lines = [f"Paper: {n} invitation letters of a mixed cohort, printed duplex",
             f"{'languages':12}{'letters':>9}{'sheets/letter':>15}"]
    for order, counts in sorted(by_order.items(), key=lambda item: -item[1]["letters"]):
        lines.append(f"{order:12}{counts['letters']:>9}"
                     f"{counts['sheets'] / counts['letters']:>15.2f}")
    blank = batch_pages - letter_pages
    lines.append(f"Print batches: {batch_pages} pages, {batch_pages // 2} sheets, {blank} blank "
                 f"pages ({100 * blank / max(1, batch_pages):.1f} %)")
    lines.append(f"Sheets per 1,000 letters: {1000 * batch_pages / 2 / max(1, n):.0f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
