"""`make bench`: invitation letters the naive way and the portal's letter-run way, and the
import of a 150,000-row cohort file.

The same N people (a generated register extract, imported by the portal's importer) get
their invitation letter twice:
- naive: one fresh WeasyPrint document per letter (same templates, stylesheet, fonts,
  QR code and locale switching as the portal's full render), in this process;
- portal: `flask letters run` as production runs it (LETTER_WORKERS processes, print
  batches, every letter archived in the database).
Figures are printed; nothing is asserted.

The naive side is measured on a sample of the same people (--naive-sample, 200 by default):
one fresh document per letter costs the same for the 200th letter as for the 3,000th, and
the sample keeps the bench short. The last lines give the ratio to naive, all in, and the
sheets per 1,000 letters of the run, counted from its manifest.

    python benchmarks/run.py [--letters 3000] [--naive-sample 200] [--batch-size 100]
                             [--workers 2] [--import-rows 150000] [--database-url URL]
"""
from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import cohort as generated

COHORT_TARGET = 150_000


def _mb(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.0f} MB"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def _peak_kb(pid: int) -> int:
    """Peak resident memory of a running process (VmHWM), in kB; 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=int(os.environ.get("BENCH_LETTERS", 3000)))
    parser.add_argument("--naive-sample", type=int,
                        default=int(os.environ.get("BENCH_NAIVE_SAMPLE", 200)))
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--import-rows", type=int, default=COHORT_TARGET)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    from flask_migrate import upgrade

    from portal import create_app

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None, "JOBS_INLINE": True,
        "LETTER_WORKERS": args.workers, "BASE_URL": "https://dienstjaar.mil.be",
        "MAIL_DIR": str(workdir / "mail"), "SECRET_KEY": "bench",
    })
    with app.app_context():
        upgrade()
        _bench(app, args, workdir)


def _bench(app, args, workdir: Path) -> None:
    from weasyprint.text import ffi

    from portal.extensions import db
    from portal.invitations import codes
    from portal.invitations import letters as invitation
    from portal.invitations.importer import import_csv
    from portal.invitations.models import Cohort, Person
    from portal.jobs import Job
    from portal.letters import render, runner, services
    from portal.letters.models import Letter

    print(f"Machine: {os.cpu_count()} cores; database {db.engine.url.get_backend_name()}; "
          f"{args.letters} letters; {args.workers} letter workers")
    print(f"HarfBuzz subsetting: {'yes' if ffi.harfbuzz_subset is not None else 'NO (slow)'}")

    year = date.today().year - 18
    cohort = Cohort(name="bench-letters", born_from=date(year, 1, 1),
                    born_to=date(year, 12, 31), expires_on=date(year + 19, 6, 30))
    db.session.add(cohort)
    db.session.flush()
    import_csv(cohort, generated.csv_bytes(args.letters, year), None, "bench.csv")
    db.session.commit()
    people = list(db.session.scalars(db.select(Person).where(Person.cohort_id == cohort.id)
                                     .order_by(Person.postcode, Person.id)))

    # Naive: one fresh WeasyPrint document per letter.
    context = invitation.context(cohort)
    services.render_letter(  # warm-up: imports, fonts, stylesheet (as a worker would)
        "invitation", recipient=services.Recipient.from_person(people[0]),
        context={**context, "qr_uri": render.qr_data_uri(invitation.signup_url("X"))},
        languages=("nl", "fr"), reference="WARM-UP", slots={"code": "X"})
    naive_bytes = 0
    sample = people[:max(1, min(args.naive_sample, len(people)))]
    # CPU of this process and of the children each letter may be rendered in (see
    # LETTER_RENDER_MAX_MEMORY), reaped when they end.
    started, naive_cpu = time.perf_counter(), time.process_time() + _children_cpu()
    for person in sample:
        code = codes.generate()
        pdf, _pages = services.render_letter(
            "invitation", recipient=services.Recipient.from_person(person),
            context={**context, "qr_uri": render.qr_data_uri(invitation.signup_url(code))},
            languages=services.Recipient.from_person(person).languages(),
            reference=f"NAIVE-{person.id}", slots={"code": code})
        naive_bytes += len(pdf)
    naive_seconds = time.perf_counter() - started
    naive_cpu = time.process_time() + _children_cpu() - naive_cpu
    naive_rate = len(sample) / naive_seconds
    naive_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    # Portal: the letter run, exactly as `flask letters run` does it.
    job = invitation.start_run(cohort, workdir / "run", actor=None, batch_size=args.batch_size)
    db.session.commit()
    job_id = job.id
    timeline = []
    started = time.perf_counter()

    worker_peaks: dict[int, int] = {}

    def progress():
        db.session.expire_all()
        current = db.session.get(Job, job_id)
        timeline.append((time.perf_counter() - started, current.done + current.failed))
        for child in multiprocessing.active_children():
            worker_peaks[child.pid] = max(worker_peaks.get(child.pid, 0), _peak_kb(child.pid))

    run_cpu = time.process_time() + _children_cpu()
    runner.execute(job_id, progress=progress)
    run_seconds = time.perf_counter() - started
    # CPU of this process and of the run's workers (reaped when the pool closes).
    run_cpu = time.process_time() + _children_cpu() - run_cpu
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    run_rate = job.done / run_seconds
    # Steady state: after every worker has finished its first batch (start-up, layouts).
    warm = timeline[min(args.workers, len(timeline)) - 1] if timeline else (0, 0)
    steady_rate = ((job.done - warm[1]) / (run_seconds - warm[0])
                   if job.done > warm[1] and run_seconds > warm[0] else run_rate)
    startup = max(0.0, warm[0] - warm[1] / steady_rate)
    worker_peak = max(worker_peaks.values(), default=0)
    archived = db.session.scalar(db.select(db.func.avg(Letter.size)).where(
        Letter.job_id == job_id)) or 0
    batch_bytes = sum(p.stat().st_size for p in (workdir / "run").glob("batch-*.pdf"))

    n = len(people)
    sheets = 0
    manifest = workdir / "run" / "manifest.csv"
    if manifest.exists():
        with manifest.open(encoding="utf-8", newline="") as handle:
            sheets = sum(int(row["sheets"]) for row in csv.DictReader(handle))
    print()
    print(f"{'':34}{'naive':>14}{'letter run':>16}")
    print(f"{'letters':34}{len(sample):>14}{job.done:>16}   ({job.failed} failed)")
    print(f"{'wall time':34}{naive_seconds:>13.1f}s{run_seconds:>15.1f}s")
    print(f"{'letters per second (all in)':34}{naive_rate:>14.1f}{run_rate:>16.1f}")
    print(f"{'letters per second (steady)':34}{naive_rate:>14.1f}{steady_rate:>16.1f}")
    print(f"{'processes':34}{1:>14}{args.workers:>16}")
    naive_ms, run_ms = naive_cpu * 1000 / len(sample), run_cpu * 1000 / max(1, job.done)
    print(f"{'CPU per letter (all in)':34}{naive_ms:>12.1f}ms{run_ms:>14.1f}ms")
    print(f"{'bytes per letter (own PDF)':34}{naive_bytes / len(sample):>14.0f}"
          f"{archived:>16.0f}")
    per_batch_letter = batch_bytes / max(1, job.done)
    print(f"{'bytes per letter in print batches':34}{'':>14}{per_batch_letter:>16.0f}")
    print(f"{'peak memory (per process)':34}{_mb(naive_peak):>14}{_mb(worker_peak):>16}")
    print()
    print(f"Ratio letter run / naive: {run_rate / naive_rate:.1f}x all in, "
          f"{steady_rate / naive_rate:.1f}x steady "
          f"(per process: {steady_rate / args.workers / naive_rate:.1f}x)")
    print(f"Ratio by CPU time, all in (what other processes on the machine take does not "
          f"count): {naive_ms / run_ms:.1f}x less CPU per letter; with {args.workers} "
          f"processes on an idle machine: up to {naive_ms / run_ms * args.workers:.1f}x naive")
    print(f"Start-up of the run (spawn, imports, one layout per language variant): "
          f"about {startup:.0f} s")
    projected = startup + COHORT_TARGET / steady_rate
    print(f"Projected for {COHORT_TARGET:,} letters on this machine: letter run "
          f"{_duration(projected)}; naive {_duration(COHORT_TARGET / naive_rate)} "
          f"(one process), {_duration(COHORT_TARGET / naive_rate / args.workers)} "
          f"({args.workers} processes, at best)")

    print(f"Naive measured on a sample of {len(sample):,} of the {n:,} letters "
          f"(the same templates and people; its rate does not depend on the run's size).")

    if args.import_rows:
        _bench_import(db, args.import_rows, year)

    print()
    print(f"Sheets per 1,000 letters (from the run's manifest): "
          f"{sheets * 1000 / max(1, job.done):,.0f}")
    print(f"ratio to naive, all in, at {job.done:,} letters: {run_rate / naive_rate:.1f}×")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _bench_import(db, rows: int, year: int) -> None:
    from portal.invitations.importer import import_csv
    from portal.invitations.models import Cohort, Person

    started = time.perf_counter()
    data = generated.csv_bytes(rows, year, seed=150)
    made = time.perf_counter() - started
    cohort = Cohort(name="bench-import", born_from=date(year, 1, 1),
                    born_to=date(year, 12, 31), expires_on=date(year + 19, 6, 30))
    db.session.add(cohort)
    db.session.flush()
    started = time.perf_counter()
    record = import_csv(cohort, data, None, "cohort.csv")
    db.session.commit()
    seconds = time.perf_counter() - started
    stored = db.session.scalar(db.select(db.func.count(Person.id)).where(
        Person.cohort_id == cohort.id))
    print()
    print(f"Cohort import: {rows:,} rows ({len(data) / 1e6:.1f} MB, generated in {made:.1f} s) "
          f"imported in {seconds:.1f} s ({rows / seconds:,.0f} rows/s): {record.created:,} "
          f"new, {record.rejected:,} rejected, {stored:,} stored.")


if __name__ == "__main__":
    main()
