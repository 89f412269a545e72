"""Every printed sheet of a run letter is tied to its letter: a machine-readable mark
(reference, sheet n of m, page n of m) in the bottom margin and, after the first page, a
line with the reference and the name; `letters-check` reads them back from the batches
of a multi-batch run made by two workers and fails on a missing or swapped page."""
from __future__ import annotations

import csv
import hashlib
import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from portal.extensions import db
from portal.invitations.letters import start_run
from portal.letters import runner
from portal.letters.models import Letter
from tests.letters.test_run_manifest import check
from tests.support import factories

MM = 72 / 25.4
POSTCODES = ["1000", "2000", "4700", "9000"]


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", xhtml, re.S):
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
                      re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                 r'yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


@pytest.fixture
def two_worker_run(app, tmp_path):
    """A run of 6 letters in 3 batches, rendered by two pool workers."""
    cohort = factories.cohort()
    for i in range(6):
        factories.person(cohort, postcode=POSTCODES[i % len(POSTCODES)])
    db.session.commit()
    saved = app.config["LETTER_WORKERS"]
    app.config["LETTER_WORKERS"] = 2
    try:
        job = start_run(cohort, tmp_path, actor=None, batch_size=2)
        db.session.commit()
        runner.execute(job.id)
    finally:
        app.config["LETTER_WORKERS"] = saved
    db.session.expire_all()
    with (tmp_path / "manifest.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def assert_marked(pdf: bytes, reference: str, name: str, tmp_path: Path) -> int:
    """Every page of a letter carries its sheet mark once, in the bottom margin outside the
    envelope window; every page after the first the reference and the name at the top.
    Returns the page count."""
    path = tmp_path / f"{reference}.pdf"
    path.write_bytes(pdf)
    pages = _words(path)
    sheets = (len(pages) + 1) // 2
    for n, words in enumerate(pages):
        bottom = [w for w in words if w[1] > (297 - 16) * MM and w[2] < 105 * MM]
        assert " ".join(w[4] for w in bottom) == (
            f"{reference} S{n // 2 + 1}/{sheets} P{n + 1}/{len(pages)}"), n
        # Inside the printable area, nowhere near the envelope window (55-90 mm).
        assert all(w[1] > 5 * MM and w[3] < (297 - 5) * MM for w in bottom)
        top = " ".join(w[4] for w in words if w[3] < 18 * MM)
        if n == 0:
            assert reference not in top
        else:  # a person holding sheet 2 sees whose it is
            assert top == f"{reference} \u2014 {name}", top
    return len(pages)


def test_every_page_of_a_run_letter_carries_its_mark_outside_the_window(app, tmp_path,
                                                                      two_worker_run):
    rows = two_worker_run
    assert len({r["batch"] for r in rows}) == 3
    row = rows[0]
    letter = db.session.scalar(db.select(Letter).where(Letter.reference == row["reference"]))
    pages = assert_marked(letter.pdf, row["reference"], row["name"], tmp_path)
    assert pages == int(row["pages"]) >= 2
    # Pagination artifacts: not read out by a screen reader as part of the letter.
    reader = PdfReader(BytesIO(letter.pdf))
    for page in reader.pages:
        data = page.get_contents().get_data()
        artifacts = re.findall(rb"/Artifact <</Type /Pagination /Subtype /(\w+)>> BDC(.*?)EMC",
                               data, re.S)
        assert {kind for kind, _ops in artifacts} <= {b"Footer", b"Header"}
        assert all(b"MCID" not in ops and b"TJ" in ops for _kind, ops in artifacts)
        assert artifacts


@pytest.mark.parametrize("languages", [("nl", "fr"), ("de", "fr", "nl")])
def test_a_letter_rendered_in_full_carries_the_same_marks(app, tmp_path, languages):
    from portal.invitations import letters as invitation
    from portal.letters import services

    cohort = factories.cohort()
    person = factories.person(cohort, postcode="4700" if "de" in languages else "1000",
                              last_name="Çelik-Ærø", first_names="Zoë")
    db.session.commit()
    recipient = services.Recipient.from_person(person)
    pdf, pages = services.render_letter(
        "invitation", recipient=recipient, context=invitation.context(cohort),
        languages=languages, reference="INV-TESTMARK01", slots={"code": "CODE-CODE-CODE-C"})
    assert assert_marked(pdf, "INV-TESTMARK01", recipient.lines[0], tmp_path) == pages >= 2


def _rewrite_sha(out: Path, batch: str) -> None:
    """As if the manifest had been made again from the changed file: only the sheet marks
    (and the database) can tell."""
    path = out / "manifest.csv"
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    sha = hashlib.sha256((out / f"batch-{int(batch):04d}.pdf").read_bytes()).hexdigest()
    for row in rows:
        if row["batch"] == batch:
            row["batch_sha256"] = sha
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _rewrite_batch(path: Path, order) -> None:
    reader = PdfReader(path)
    writer = PdfWriter()
    for index in order(len(reader.pages)):
        writer.add_page(reader.pages[index])
    with path.open("wb") as fh:
        writer.write(fh)


def test_the_check_passes_a_run_of_two_workers_then_fails_on_a_missing_page(
        app, tmp_path, two_worker_run):
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    clean = check(tmp_path, database)
    assert clean.returncode == 0, clean.stdout
    assert "6 letters checked: 0 problem(s)." in clean.stdout
    second = [r for r in two_worker_run if r["batch"] == "2"]
    lost = int(second[0]["first_page"]) + 1  # the back of the first letter's first sheet
    _rewrite_batch(tmp_path / "batch-0002.pdf",
                   lambda count: [i for i in range(count) if i != lost - 1])
    _rewrite_sha(tmp_path, "2")
    result = check(tmp_path, database)
    assert result.returncode == 1
    out = result.stdout
    expected = f"{second[0]['reference']} S1/{second[0]['sheets']} P2/{second[0]['pages']}"
    assert f"batch-0002.pdf page {lost}: its sheet mark reads " in out
    assert f"expected {expected!r}" in out
    assert "batch-0002.pdf: the manifest's SHA-256 is not the one run" in out
    assert "batch-0001.pdf" not in out and "batch-0003.pdf" not in out


def test_the_check_fails_on_two_swapped_sheets(app, tmp_path, two_worker_run):
    first, second = [r for r in two_worker_run if r["batch"] == "1"]
    a, b = int(first["first_page"]) - 1, int(second["first_page"]) - 1
    _rewrite_batch(tmp_path / "batch-0001.pdf", lambda count: [
        b if i == a else a if i == b else i for i in range(count)])
    _rewrite_sha(tmp_path, "1")
    result = check(tmp_path)  # the print shop's check, without the database
    assert result.returncode == 1
    assert (f"batch-0001.pdf page {a + 1}: its sheet mark reads "
            f"'{second['reference']} S1/{second['sheets']} P1/{second['pages']}'") in result.stdout
    assert (f"batch-0001.pdf page {b + 1}: its sheet mark reads "
            f"'{first['reference']} S1/{first['sheets']} P1/{first['pages']}'") in result.stdout
