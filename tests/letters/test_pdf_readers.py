"""Every letter kind read by Mozilla's pdf.js (Firefox's PDF viewer; pdfjs-dist 5, vendored
under assets/ and run with node): the text a reader gets is the whole letter, the structure
tree has real roles (sections per language, headings, paragraphs, lists, tables), and all
text is either in that tree or marked as an artifact (the page numbers). Full renders of
every kind, a letter run's letters and its print batch."""
from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from portal.extensions import db
from portal.invitations.models import Person
from portal.letters import render
from portal.letters.models import Letter
from tests.support import factories, letter_specimens

READER = Path(__file__).parent / "assets" / "pdf_reader.mjs"
# What every letter holds, whatever its kind.
ROLES = {"Document", "Sect", "H1", "P", "L", "LI"}
TABLE_ROLES = {"Table", "TR", "TH", "TD"}


def read_with_pdfjs(paths: list[Path]) -> dict[str, dict]:
    result = subprocess.run(["node", str(READER), *map(str, paths)], capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def poppler_characters(path: Path) -> Counter:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return Counter(_printed(text))


def _printed(text: str) -> str:
    # Without spaces and hyphens: poppler joins a word hyphenated at a line's end.
    return "".join(text.split()).replace("-", "")


def reader_problems(path: Path, read: dict, languages, table: bool = False) -> list[str]:
    problems = []
    pages = read["pages"]
    characters = Counter(_printed("".join(page["text"] for page in pages)))
    # Complete: pdf.js gets every character poppler reads from the same file, no other
    # (the two split words differently at the edges of marked content).
    poppler = poppler_characters(path)
    if missing := poppler - characters:
        problems.append(f"pdf.js misses {dict(missing)}")
    if extra := characters - poppler:
        problems.append(f"pdf.js reads what poppler does not: {dict(extra)}")
    roles = {role for page in pages for role in page["roles"]}
    wanted = ROLES | (TABLE_ROLES if table else set())
    if not wanted <= roles:
        problems.append(f"structure roles {sorted(roles)} lack {sorted(wanted - roles)}")
    for number, page in enumerate(pages, 1):
        if page["top"] != ["Document"]:
            problems.append(f"page {number}: the tree's top is {page['top']}")
        in_tree = set(page["ids"])
        for item in page["marked"]:
            if item["tag"] == "Artifact":
                continue
            if item["id"] is None or item["id"] not in in_tree:
                problems.append(f"page {number}: {item['str'][:40]!r} is outside the "
                                f"structure tree and not an artifact ({item['tag']})")
    sections = sum(page["roles"].count("Sect") for page in pages)
    if sections < len(languages):
        problems.append(f"{sections} sections for {len(languages)} languages")
    return problems


def test_every_kind_reads_whole_in_pdfjs(app, tmp_path):
    files = {}
    with app.test_request_context():
        for name in letter_specimens.NAMES:
            for order in (("nl", "fr"), ("de", "fr", "nl")):
                pdf = render.to_archive_pdf(letter_specimens.layout(app, name, order))
                path = tmp_path / f"{name}-{'-'.join(order)}.pdf"
                path.write_bytes(pdf)
                files[path] = (order, name in ("statement", "data_export"))
    read = read_with_pdfjs(list(files))
    found = {path.name: problems for path, (order, table) in files.items()
             if (problems := reader_problems(path, read[str(path)], order, table))}
    assert found == {}


def test_a_letter_run_reads_whole_in_pdfjs(app, tmp_path):
    cohort = factories.cohort()
    factories.person(cohort, postcode="9000", first_names="Lotte", last_name="Peeters")
    factories.person(cohort, postcode="4700", first_names="Anna", last_name="Schmitz",
                     register_language="de")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    files, personal = {}, {}
    for letter in db.session.scalars(db.select(Letter).where(Letter.cohort_id == cohort.id)):
        path = tmp_path / f"{letter.reference}.pdf"
        path.write_bytes(letter.pdf)
        files[path] = tuple(letter.languages.split(","))
        # What each letter prints of its own (the overlay): name, reference, greeting.
        person = db.session.get(Person, letter.person_id)
        personal[path] = {letter.reference, person.last_name, person.first_names}
    assert len(files) == 2
    batches = sorted((tmp_path / "run").rglob("batch-*.pdf"))
    assert batches
    read = read_with_pdfjs([*files, *batches])
    found = {path.name: problems for path, order in files.items()
             if (problems := reader_problems(path, read[str(path)], order))}
    for path, texts in personal.items():
        text = " ".join(page["text"] for page in read[str(path)]["pages"])
        if missing := {t for t in texts if t not in text}:
            found.setdefault(path.name, []).append(f"pdf.js does not read {missing}")
    for batch in batches:
        pages = read[str(batch)]["pages"]
        outside = [item["str"] for page in pages for item in page["marked"]
                   if item["tag"] != "Artifact" and item["id"] not in set(page["ids"])]
        if outside:
            found[batch.name] = outside[:10]
    assert found == {}


@pytest.mark.parametrize("kind", ["statement"])
def test_table_headers_are_found_by_their_id(app, kind):
    """Table cells name their headers by ID (/Headers): the structure root's ID tree holds
    every such ID, so a reader finds them (PDF/UA)."""
    from io import BytesIO

    import pikepdf

    with app.test_request_context():
        pdf = render.to_archive_pdf(letter_specimens.layout(app, kind, ("nl", "fr")))
    document = pikepdf.open(BytesIO(pdf))
    assert document.check_pdf_syntax() == []  # qpdf finds nothing wrong with the file
    root = document.Root.StructTreeRoot
    assert "/IDTree" in root
    names = root.IDTree.Names
    ids = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
    keys = [str(names[i]) for i in range(0, len(names), 2)]
    assert keys == sorted(keys, key=lambda key: key.encode())
    headers = set()

    def walk(element):
        if "/A" in element and "/Headers" in element.A:
            headers.update(str(h) for h in element.A.Headers)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                walk(kid)

    walk(root.K[0])
    assert headers and headers <= set(ids)
    assert all(str(ids[key].S) == "/TH" and str(ids[key].ID) == key for key in headers)
    assert re.search(rb"/Artifact\s*<<\s*/Type\s*/Pagination", b"".join(
        page.Contents.read_bytes() for page in document.pages))
    # No element that holds nothing (WeasyPrint tags the empty float beside the window).
    empty = []

    def walk_empty(element):
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                if len(kid.get("/K", pikepdf.Array())) == 0 and str(kid.S) not in (
                        "/TD", "/TH"):
                    empty.append(str(kid.S))
                walk_empty(kid)

    walk_empty(root)
    assert empty == []
    # Every row keeps its cells, empty ones too (the total row has three).
    rows = []

    def walk_rows(element):
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                if str(kid.S) == "/TR":
                    rows.append(sum(1 for cell in kid.K if str(cell.S) in ("/TD", "/TH")))
                walk_rows(kid)

    walk_rows(root)
    assert rows and set(rows) == {6}
