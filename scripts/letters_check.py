"""Check a letter run's print batches the way a print shop would, before printing.

    python scripts/letters_check.py DIR [--database URL]
    (or: make letters-check DIR=... [DATABASE=...])

DIR holds `manifest.csv` and `batch-NNNN.pdf` as a letter run writes them. Checked, with
poppler-utils (pdftotext, pdffonts, pdfinfo) and pypdf:
- the manifest against the files: every batch file listed and every listed one there,
  each letter once, its batch file's SHA-256, page ranges that follow each other without
  a gap from the first page of the batch to its last;
- every batch has the pages the manifest announces, and every letter starts on a front
  side (an odd page) with its own reference on it;
- the sheet marks read back: each printed page carries, in its bottom margin, its
  letter's reference, sheet n of m and page n of m, as the manifest places it (a missing,
  added or swapped page shows), and each page after the first a line with the reference;
- no text outside its box: nothing within 5 mm of the sheet's edge, and the address
  lines inside the envelope window (110-190 mm from the left, 55-90 mm from the top);
- unique font names: one name is one embedded font program (ISO 32000-1 9.6.4);
- tagged PDF with a structure tree whose language sections carry the manifest's
  languages;
- a document title that names the letter.
With --database (the portal's DATABASE_URL), the manifest against the run that wrote DIR:
every letter archived by the run listed once in its batch with its page count, nothing
listed that the run did not archive, every batch recorded final with the same checksum.
Prints one line per problem and exits with status 1 if there is any.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from xml.etree import ElementTree

from pypdf import PdfReader

MM = 72 / 25.4
EDGE_MM = 5
WINDOW_MM = (110, 190, 55, 90)  # left, right, top, bottom on the sheet
FIELDS = ("batch", "position", "reference", "pages", "blank_pages", "sheets", "first_page",
          "last_page", "languages", "batch_sha256")
# Where the engine prints the sheet mark (bottom margin, left half) and the reference line
# of the pages after the first (top margin): see portal/letters/pdf/vdp.py, SheetMarks.
MARK_ZONE_MM = 16        # from the bottom edge
HEADER_ZONE_MM = 18      # from the top edge
MARK = re.compile(r"^(\S+) S(\d+)/(\d+) P(\d+)/(\d+)$")
MAX_MARK_PROBLEMS = 12   # per batch: after a missing page every later one is off too


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Words of each page with their boxes (pt, from the top left)."""
    xhtml = _run("pdftotext", "-bbox", str(pdf), "-")
    xhtml = re.sub(r"<!DOCTYPE[^>]*>", "", xhtml).replace('xmlns="http://www.w3.org/1999/xhtml"',
                                                          "")
    root = ElementTree.fromstring(xhtml)
    pages = []
    for page in root.iter("page"):
        pages.append([(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
                       float(w.get("yMax")), w.text or "") for w in page.iter("word")])
    return pages


def _fonts(pdf: Path) -> dict[str, set[str]]:
    objects: dict[str, set[str]] = defaultdict(set)
    for line in _run("pdffonts", str(pdf)).splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 3:
            objects[parts[0]].add(" ".join(parts[-2:]))
    return objects


def _languages(reader: PdfReader) -> set[str]:
    root = reader.trailer["/Root"].get("/StructTreeRoot")
    if root is None:
        return set()
    found = set()
    pending = [root.get_object()]
    while pending:
        element = pending.pop()
        if "/Lang" in element and str(element.get("/S")) in ("/Sect", "/Document"):
            found.add(str(element["/Lang"]))
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else [kids]
        for kid in kids:
            if kid is not None and hasattr(kid, "get_object"):
                kid = kid.get_object()
                if hasattr(kid, "get") and kid.get("/S") is not None:
                    pending.append(kid)
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _zone_text(words, below: float = 0, above: float = float("inf"),
               left_of: float = float("inf")) -> str:
    """The words whose top is below `below`, whose bottom is above `above` and which end
    left of `left_of` (pt from the top left), in reading order."""
    return " ".join(w[4] for w in sorted(words, key=lambda w: (round(w[1]), w[0]))
                    if w[1] > below and w[3] < above and w[2] < left_of)


def _marks(pdf_name: str, pages, reader: PdfReader, letters: list[dict]) -> list[str]:
    """Each printed page's sheet mark as the manifest expects it; blank backs empty."""
    problems: list[str] = []
    expected: list[tuple[str, str | None]] = []  # per page of the batch: (reference, mark)
    for row in letters:
        count, sheets = int(row["pages"]), int(row["sheets"])
        for n in range(count):
            expected.append((row["reference"], f"{row['reference']} S{n // 2 + 1}/{sheets} "
                                                f"P{n + 1}/{count}"))
        expected.extend((row["reference"], None) for _ in range(int(row["blank_pages"])))
    for index, (reference, mark) in enumerate(expected):
        where = f"{pdf_name} page {index + 1}"
        if index >= len(pages):
            problems.append(f"{where}: missing (expected {mark or 'a blank back'})")
            continue
        words = pages[index]
        height = float(reader.pages[index].mediabox.height)
        width = float(reader.pages[index].mediabox.width)
        found = _zone_text(words, below=height - MARK_ZONE_MM * MM, left_of=width / 2)
        if mark is None:
            if words:
                problems.append(f"{where}: should be a blank back, it carries "
                                f"{found or 'text'!r}")
        elif not found:
            problems.append(f"{where}: no sheet mark (expected {mark!r})")
        elif found != mark:
            problems.append(f"{where}: its sheet mark reads {found!r}, expected {mark!r}")
        elif MARK.match(found) and MARK.match(found).group(4) != "1":
            header = _zone_text(words, above=HEADER_ZONE_MM * MM)
            if reference not in header.split():
                problems.append(f"{where}: no name and reference line at the top")
        if len(problems) >= MAX_MARK_PROBLEMS:
            problems.append(f"{pdf_name}: more sheet mark problems not shown")
            break
    for index in range(len(expected), len(pages)):
        problems.append(f"{pdf_name} page {index + 1}: a page the manifest does not announce")
        break
    return problems


def _manifest(directory: Path, problems: list[str]) -> list[dict]:
    path = directory / "manifest.csv"
    if not path.exists():
        problems.append("manifest.csv: missing")
        return []
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in FIELDS if f not in (reader.fieldnames or ())]
        if missing:
            problems.append(f"manifest.csv: no column {', '.join(missing)}")
            return []
        rows = list(reader)
    seen: dict[str, int] = defaultdict(int)
    for row in rows:
        seen[row["reference"]] += 1
    for reference, count in seen.items():
        if count > 1:
            problems.append(f"{reference}: listed {count} times in the manifest")
    return rows


def _ranges(pdf_name: str, letters: list[dict], problems: list[str]) -> int:
    """The letters' page ranges follow each other from page 1; returns the batch's pages."""
    page = 1
    for position, row in enumerate(letters, 1):
        where = f"{pdf_name} letter {row['position']} ({row['reference']})"
        if int(row["position"]) != position:
            problems.append(f"{where}: listed as position {row['position']}, it is the "
                            f"{position}th letter of its batch in the manifest")
        first, last = int(row["first_page"]), int(row["last_page"])
        if first != page:
            problems.append(f"{where}: starts on page {first}, the previous letter ends on "
                            f"page {page - 1}")
        if last - first + 1 != int(row["pages"]) + int(row["blank_pages"]):
            problems.append(f"{where}: pages {first}-{last} are not its "
                            f"{row['pages']} + {row['blank_pages']} pages")
        page = last + 1
    return page - 1


def check(directory: Path, database: str | None = None) -> list[str]:
    problems: list[str] = []
    rows = _manifest(directory, problems)
    by_batch: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_batch[row["batch"]].append(row)
    listed = {f"batch-{int(batch):04d}.pdf" for batch in by_batch}
    for path in sorted(directory.glob("batch-*.pdf")):
        if path.name not in listed:
            problems.append(f"{path.name}: a batch file the manifest does not list")
    for batch, letters in sorted(by_batch.items(), key=lambda item: int(item[0])):
        pdf = directory / f"batch-{int(batch):04d}.pdf"
        if not pdf.exists():
            problems.append(f"{pdf.name}: missing")
            continue
        if {r["batch_sha256"] for r in letters} != {_sha256(pdf)}:
            problems.append(f"{pdf.name}: its SHA-256 is not the manifest's")
        reader = PdfReader(pdf)
        pages = _words(pdf)
        expected = _ranges(pdf.name, letters, problems)
        if len(reader.pages) != expected:
            problems.append(f"{pdf.name}: {len(reader.pages)} pages, the manifest says "
                            f"{expected}")
        problems.extend(_marks(pdf.name, pages, reader, letters))
        if len(reader.pages) != expected:
            continue
        start = 0
        for row in letters:
            where = f"{pdf.name} letter {row['position']} ({row['reference']})"
            if start % 2:
                problems.append(f"{where}: starts on a back side (page {start + 1})")
            if (int(row["pages"]) + int(row["blank_pages"])) != 2 * int(row["sheets"]):
                problems.append(f"{where}: sheets do not match pages")
            first = pages[start]
            if row["reference"] not in " ".join(w[4] for w in first):
                problems.append(f"{where}: its reference is not on its first page")
            for number in range(start, start + int(row["pages"])):
                box = reader.pages[number].mediabox
                width, height = float(box.width), float(box.height)
                edge = EDGE_MM * MM
                for x0, y0, x1, y1, text in pages[number]:
                    if x0 < edge or y0 < edge or x1 > width - edge or y1 > height - edge:
                        problems.append(f"{where}: text {text!r} on page {number + 1} is "
                                        f"outside the printable area")
            left, right, top, bottom = (v * MM for v in WINDOW_MM)
            for x0, y0, x1, y1, text in first:
                if x0 >= left - 1 and top <= y0 and y1 <= bottom and x1 > right:
                    problems.append(f"{where}: address text {text!r} runs out of the "
                                    f"envelope window")
            start += int(row["pages"]) + int(row["blank_pages"])
        for name, objects in _fonts(pdf).items():
            if len(objects) > 1:
                problems.append(f"{pdf.name}: {len(objects)} different fonts named {name}")
        info = _run("pdfinfo", str(pdf))
        if not re.search(r"^Tagged:\s+yes", info, re.M):
            problems.append(f"{pdf.name}: not a tagged PDF")
        wanted = {lang for r in letters for lang in r["languages"].split(",")}
        missing = wanted - _languages(reader)
        if missing:
            problems.append(f"{pdf.name}: no section tagged with language {sorted(missing)}")
        title = re.search(r"^Title:\s+(.*)$", info, re.M)
        if not title or " — " not in title.group(1):
            problems.append(f"{pdf.name}: its title does not name the letter "
                            f"({title.group(1) if title else 'none'})")
    if database:
        problems.extend(check_database(directory, rows, database))
    return problems


def _engine(url: str):
    from sqlalchemy import create_engine  # only with --database

    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_engine(url)


def check_database(directory: Path, rows: list[dict], url: str) -> list[str]:
    """The manifest against the run that wrote this directory, as the database knows it."""
    from sqlalchemy import text  # only with --database

    problems: list[str] = []
    engine = _engine(url)
    out = str(directory.resolve())
    with engine.connect() as conn:
        jobs = conn.execute(text("SELECT id, state, params, total FROM jobs WHERE kind = "
                                 "'letter_run' ORDER BY id DESC")).all()
        job = next((j for j in jobs if json.loads(j.params or "{}").get("out") == out), None)
        if job is None:
            engine.dispose()
            return [f"{directory}: no letter run of this database wrote here"]
        if job.state not in ("done", "failed"):
            problems.append(f"run {job.id}: not finished ({job.state})")
        items = conn.execute(text(
            "SELECT i.position, i.batch, i.failure, l.reference, l.page_count, l.delivery "
            "FROM letter_run_items i LEFT JOIN letters l ON l.id = i.letter_id "
            "WHERE i.job_id = :job ORDER BY i.position"), {"job": job.id}).all()
        batches = {b.number: b for b in conn.execute(text(
            "SELECT number, state, sha256, letters FROM letter_run_batches "
            "WHERE job_id = :job"), {"job": job.id}).all()}
    engine.dispose()
    listed = {row["reference"]: row for row in rows}
    archived = set()
    unaccounted = 0
    for item in items:
        if item.reference is None:
            unaccounted += item.failure is None
            continue
        if item.delivery == "online":  # archived for the recipient's own space, not printed
            continue
        archived.add(item.reference)
        row = listed.get(item.reference)
        if row is None:
            problems.append(f"{item.reference}: archived in batch {item.batch + 1} of the "
                            f"run, not in the manifest")
            continue
        if int(row["batch"]) != item.batch + 1:
            problems.append(f"{item.reference}: archived in batch {item.batch + 1}, the "
                            f"manifest puts it in batch {row['batch']}")
        if int(row["pages"]) != item.page_count:
            problems.append(f"{item.reference}: archived with {item.page_count} pages, the "
                            f"manifest says {row['pages']}")
    for reference in sorted(set(listed) - archived):
        problems.append(f"{reference}: in the manifest, not archived by run {job.id}")
    if unaccounted:
        problems.append(f"run {job.id}: {unaccounted} recipients neither printed nor "
                        f"reported failed")
    for batch in sorted({int(r["batch"]) for r in rows} | {i.batch + 1 for i in items
                                                           if i.reference is not None}):
        recorded = batches.get(batch - 1)
        name = f"batch-{batch:04d}.pdf"
        if recorded is None or recorded.state != "final":
            problems.append(f"{name}: not recorded final by run {job.id}")
            continue
        shas = {r["batch_sha256"] for r in rows if int(r["batch"]) == batch}
        if shas and shas != {recorded.sha256}:
            problems.append(f"{name}: the manifest's SHA-256 is not the one run {job.id} "
                            f"recorded")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--database", help="the portal's database URL: compare with the run")
    args = parser.parse_args(argv)
    problems = check(args.directory, args.database)
    for problem in problems:
        print(problem)
    manifest = args.directory / "manifest.csv"
    letters = (sum(1 for _ in manifest.open(encoding="utf-8")) - 1) if manifest.exists() else 0
    print(f"{letters} letters checked: {len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
