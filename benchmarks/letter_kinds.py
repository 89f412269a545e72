"""`make bench`: each letter kind as archived. Per kind: pages and duplex sheets (bilingual /
trilingual), bytes archived, bytes in print, the PDF's title in each first language, and
the PDF/UA and PDF/A checks it passes.

Full renders are the specimens of every kind with the longest realistic values
(tests/support/letter_specimens.py), archived as PDF/A-2a + PDF/UA-1 and printed from that
same file. The invitation is also measured as run letters (a letter run of a generated
mixed cohort, benchmarks/cohort.py): bytes archived per letter, and its share of the print
batch files (their bytes over their letters).

    python benchmarks/letter_kinds.py [--letters 300]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import defaultdict
from datetime import date
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import cohort as generated

ORDERS = (("nl", "fr"), ("fr", "nl"), ("de", "fr", "nl"))
NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}
CHECKS = ("PDF/UA-1 declared", "title in XMP = Info", "title shown", "marked", "tagged",
          "document language", "a language per section", "fonts embedded", "pdf.js: all text "
          "in the tree or an artifact")


def ua_checks(pdf: bytes, languages) -> dict[str, bool]:
    """The PDF/UA checks of tests/letters (test_pdf_ua, test_pdf_readers) on one file."""
    import pikepdf

    document = pikepdf.open(BytesIO(pdf))
    root = document.Root
    packet = root.Metadata.read_bytes()
    # The portal's own output, read back.
    xml = ElementTree.fromstring(packet.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])  # noqa: S314
    part = xml.find(".//pdfuaid:part", NS)
    part = part.text if part is not None else next(
        (d.get(f"{{{NS['pdfuaid']}}}part") for d in xml.iterfind(".//rdf:Description", NS)
         if d.get(f"{{{NS['pdfuaid']}}}part")), None)
    title = xml.find(".//dc:title/rdf:Alt/rdf:li", NS)
    sections = [element for element in _elements(root.get("/StructTreeRoot"))
                if element.get("/S") == "/Sect"]
    found = [str(section.get("/Lang")) for section in sections]
    fonts = embedded = 0
    for page in document.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            fonts += 1
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor") or {}
            embedded += any(key in descriptor for key in ("/FontFile", "/FontFile2",
                                                          "/FontFile3"))
    return {
        "PDF/UA-1 declared": part == "1",
        "title in XMP = Info": title is not None and title.text == str(document.docinfo.Title),
        "title shown": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
        "marked": bool(root.get("/MarkInfo", {}).get("/Marked")),
        "tagged": "/StructTreeRoot" in root,
        "document language": str(root.get("/Lang")) == languages[0],
        # Every section with its language, in the letter's order (a section that goes on
        # over a page break, as the data export's do, is still one language's section).
        "a language per section": all("/Lang" in s for s in sections) and [
            lang for n, lang in enumerate(found) if n == 0 or lang != found[n - 1]]
        == list(languages),
        "fonts embedded": fonts > 0 and embedded == fonts,
    }


PDF_A_CHECKS = ("PDF/A-2a declared", "sRGB output intent with its profile",
                "metadata readable", "no DeviceCMYK", "CIDFonts embedded with a CIDToGIDMap")


def pdf_a_checks(pdf: bytes) -> dict[str, bool]:
    """The PDF/A checks of tests/letters/test_pdf_a.py on one file."""
    import re

    import pikepdf

    document = pikepdf.open(BytesIO(pdf))
    root = document.Root
    with document.open_metadata() as xmp:
        declared = xmp.get("pdfaid:part") == "2" and xmp.get("pdfaid:conformance") == "A"
    intents = root.get("/OutputIntents") or []
    profile = intents[0].get("/DestOutputProfile") if len(intents) == 1 else None
    content, fonts_ok = b"", True
    for page in document.pages:
        if "/Contents" in page:
            contents = page.Contents
            content += b"".join(c.read_bytes() for c in (
                contents if isinstance(contents, pikepdf.Array) else [contents]))
        for font in (page.Resources.get("/Font") or {}).values():
            cid = font.DescendantFonts[0]
            fonts_ok &= "/FontFile2" in cid.FontDescriptor and "/CIDToGIDMap" in cid
    return {
        "PDF/A-2a declared": declared,
        "sRGB output intent with its profile": profile is not None
        and intents[0].get("/S") == "/GTS_PDFA1" and profile.get("/N") == 3
        and profile.read_bytes()[36:40] == b"acsp",
        "metadata readable": b"pdfaid:part" in root.Metadata.read_bytes(),
        # (operators only: a string's one-byte glyph codes may read "k")
        "no DeviceCMYK": b"DeviceCMYK" not in content
        and not re.search(rb"\bk\b|\bK\b", re.sub(rb"\((?:\\.|[^\\()])*\)", b"()", content)),
        "CIDFonts embedded with a CIDToGIDMap": fonts_ok,
    }


def _elements(node, seen=None):
    """The structure elements under a node, in order."""
    import pikepdf

    seen = set() if seen is None else seen
    kids = node.get("/K") if node is not None else None
    for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
        if (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem"
                and kid.objgen not in seen):
            seen.add(kid.objgen)
            yield kid
            yield from _elements(kid, seen)


def pdfjs_ok(paths: dict[Path, tuple]) -> dict[Path, bool]:
    """pdf.js (tests/letters/assets, run with node): every marked text is in the structure
    tree or an artifact. Without node, nothing is claimed."""
    if not shutil.which("node"):
        return {}
    from tests.letters.test_pdf_readers import read_with_pdfjs, reader_problems

    read = read_with_pdfjs(list(paths))
    return {path: not reader_problems(path, read[str(path)], order)
            for path, order in paths.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=300)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="portal-kinds-"))
    from flask_migrate import upgrade

    from portal import create_app

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "REDIS_URL": None, "JOBS_INLINE": True, "LETTER_WORKERS": 1,
        "BASE_URL": "https://dienstjaar.mil.be", "MAIL_DIR": str(workdir / "mail"),
        "SECRET_KEY": "bench",
    })
    with app.app_context():
        upgrade()
        rows = full_renders(app, workdir) + [run_letters(args.letters, workdir)]
    print(table(rows))


def full_renders(app, workdir: Path) -> list[dict]:
    from portal.letters import render
    from tests.support import letter_specimens

    rows, files = [], {}
    with app.test_request_context():
        for name in letter_specimens.NAMES:
            row = {"kind": name, "pages": {}, "bytes": {}, "titles": {}, "checks": [],
                   "print": "its archived file"}
            for order in ORDERS:
                document = letter_specimens.layout(app, name, order)
                pdf = render.to_archive_pdf(document)
                path = workdir / f"{name}-{'-'.join(order)}.pdf"
                path.write_bytes(pdf)
                files[path] = (row, order)
                row["pages"][len(order)] = len(document.pages)
                row["bytes"].setdefault(len(order), []).append(len(pdf))
                row["titles"][order[0]] = _title(pdf)
                row["checks"].append(ua_checks(pdf, order))
                row.setdefault("pdf_a", []).append(pdf_a_checks(pdf))
            rows.append(row)
    for path, ok in pdfjs_ok({path: order for path, (_row, order) in files.items()}).items():
        files[path][0]["checks"].append({CHECKS[-1]: ok})
    return rows


def run_letters(count: int, workdir: Path) -> dict:
    from portal.extensions import db
    from portal.invitations import letters as invitation
    from portal.invitations.importer import import_csv
    from portal.invitations.models import Cohort
    from portal.letters import runner
    from portal.letters.models import Letter

    year = date.today().year - 18
    cohort = Cohort(name="bench-kinds", born_from=date(year, 1, 1),
                    born_to=date(year, 12, 31), expires_on=date(year + 19, 6, 30))
    db.session.add(cohort)
    db.session.flush()
    import_csv(cohort, generated.csv_bytes(count, year), None, "bench.csv")
    db.session.commit()
    job = invitation.start_run(cohort, workdir / "run", actor=None, batch_size=100)
    db.session.commit()
    runner.execute(job.id)
    db.session.expire_all()
    letters = list(db.session.scalars(db.select(Letter).where(Letter.job_id == job.id)))
    batch_bytes = sum(path.stat().st_size for path in (workdir / "run").glob("batch-*.pdf"))
    row = {"kind": f"invitation, letter run ({len(letters)} letters)", "pages": {},
           "bytes": defaultdict(list), "titles": {}, "checks": [],
           "print": f"{batch_bytes / max(1, len(letters)) / 1000:.1f} kB"}
    samples = {}
    for letter in letters:
        order = tuple(letter.languages.split(","))
        row["pages"][len(order)] = letter.page_count
        row["bytes"][len(order)].append(letter.size)
        if order not in samples:
            samples[order] = letter.pdf
    for order, pdf in samples.items():
        row["titles"][order[0]] = _title(pdf)
        row["checks"].append(ua_checks(pdf, order))
        row.setdefault("pdf_a", []).append(pdf_a_checks(pdf))
    paths = {}
    for order, pdf in samples.items():
        path = workdir / f"run-{'-'.join(order)}.pdf"
        path.write_bytes(pdf)
        paths[path] = order
    row["checks"] += [{CHECKS[-1]: ok} for ok in pdfjs_ok(paths).values()]
    every = [letter.size for letter in letters]
    row["all"] = (sum(every) / max(1, len(every)), max(every, default=0))
    return row


def _title(pdf: bytes) -> str:
    from pypdf import PdfReader

    return str((PdfReader(BytesIO(pdf)).metadata or {}).get("/Title") or "")


def table(rows: list[dict]) -> str:
    lines = ["| kind | pages (2 / 3 languages) | sheets | bytes archived, largest "
             "(2 / 3 languages) | bytes in print | title (nl / fr / de) | PDF/UA checks passed "
             "| PDF/A checks passed |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        pages = [row["pages"].get(n) for n in (2, 3)]
        sizes = [max(row["bytes"][n]) / 1000 if row["bytes"].get(n) else None for n in (2, 3)]
        passed = sum(ok for checks in row["checks"] for ok in checks.values())
        total = sum(len(checks) for checks in row["checks"])
        a_passed = sum(ok for checks in row.get("pdf_a", []) for ok in checks.values())
        a_total = sum(len(checks) for checks in row.get("pdf_a", []))
        lines.append(
            f"| {row['kind']} | {' / '.join(str(p) for p in pages if p)} | "
            f"{' / '.join(str((p + 1) // 2) for p in pages if p)} | "
            f"{' / '.join(f'{s:.1f} kB' for s in sizes if s)} | {row['print']} | "
            f"{' / '.join(row['titles'].get(lang, '') for lang in ('nl', 'fr', 'de'))} | "
            f"{passed} of {total} | {a_passed} of {a_total} |")
    run = rows[-1]
    if "all" in run:
        lines.append(f"\nRun letters: {run['all'][0] / 1000:.1f} kB archived on average, "
                     f"{run['all'][1] / 1000:.1f} kB at most.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
