"""Check a letter run's print batches the way a print shop would, before printing.

    python scripts/letters_check.py DIR        (or: make letters-check DIR=...)

DIR holds `manifest.csv` and `batch-NNNN.pdf` as a letter run writes them. Checked, with
poppler-utils (pdftotext, pdffonts, pdfinfo) and pypdf:
- every batch has the pages the manifest announces, and every letter starts on a front
  side (an odd page) with its own reference on it;
- no text outside its box: nothing within 5 mm of the sheet's edge, and the address
  lines inside the envelope window (110-190 mm from the left, 55-90 mm from the top);
- unique font names: one name is one embedded font program (ISO 32000-1 9.6.4);
- tagged PDF with a structure tree whose language sections carry the manifest's
  languages;
- a document title that names the letter.
Prints one line per problem and exits with status 1 if there is any.
"""
from __future__ import annotations

import csv
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


def check(directory: Path) -> list[str]:
    problems: list[str] = []
    with (directory / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_batch: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_batch[row["batch"]].append(row)
    for batch, letters in sorted(by_batch.items(), key=lambda item: int(item[0])):
        pdf = directory / f"batch-{int(batch):04d}.pdf"
        if not pdf.exists():
            problems.append(f"{pdf.name}: missing")
            continue
        reader = PdfReader(pdf)
        pages = _words(pdf)
        expected = sum(int(r["pages"]) + int(r["blank_pages"]) for r in letters)
        if len(reader.pages) != expected:
            problems.append(f"{pdf.name}: {len(reader.pages)} pages, the manifest says "
                            f"{expected}")
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
    return problems


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    directory = Path(sys.argv[1])
    problems = check(directory)
    for problem in problems:
        print(problem)
    letters = sum(1 for _ in (directory / "manifest.csv").open(encoding="utf-8")) - 1
    print(f"{letters} letters checked: {len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
