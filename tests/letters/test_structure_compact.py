"""A letter's structure tree written compact stays whole for a screen reader: no bare Span
wrapper is left, every piece of marked content on every page leads through the parent tree
to the element that lists it, and every element names its real parent. Titles with any
characters come back as they were written."""
from __future__ import annotations

from io import BytesIO

import pikepdf
import pytest

from portal.letters import render
from portal.letters.pdf import pdfparts
from tests.support import letter_specimens


def _problems(pdf: bytes) -> list[str]:
    document = pikepdf.open(BytesIO(pdf))
    root = document.Root.StructTreeRoot
    pages = {page.objgen: n for n, page in enumerate(document.pages)}
    listed: dict[tuple[int, int], tuple[int, int]] = {}  # (page, MCID) -> element
    problems, pending = [], [(kid, root) for kid in root.K]
    while pending:
        element, parent = pending.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue
        if element.P.objgen != parent.objgen:
            problems.append(f"{element.S} names another parent")
        if element.S == "/Span" and set(element.keys()) <= {"/Type", "/S", "/K", "/P", "/Pg"}:
            problems.append("a bare Span is left")
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                listed[(pages[element.Pg.objgen], int(kid))] = element.objgen
            else:
                pending.append((kid, element))
    nums = root.ParentTree.Nums
    found = {}
    for i in range(0, len(nums), 2):
        for mcid, element in enumerate(nums[i + 1]):
            if isinstance(element, pikepdf.Dictionary):
                found[(int(nums[i]), mcid)] = element.objgen
    if found != listed:
        differ = set(found.items()) ^ set(listed.items())
        problems.append(f"parent tree and elements differ: {differ}")
    return problems


@pytest.mark.parametrize("name", ["invitation", "statement", "convocation"])
def test_a_full_render_keeps_every_piece_of_text_in_its_element(app, name):
    with app.test_request_context():
        pdf = render.to_archive_pdf(letter_specimens.layout(app, name, ("de", "fr", "nl")))
    assert _problems(pdf) == []
    document = pikepdf.open(BytesIO(pdf))
    assert document.check_pdf_syntax() == []
    # Every page in the page tree, each bookmark leading to the page of its section.
    assert len(document.pages) == 3
    pages = [page.objgen for page in document.pages]
    bookmarks = document.Root.Outlines
    item, targets = bookmarks.First, []
    while item is not None:
        targets.append(pages.index(item.Dest[0].objgen))
        item = item.get("/Next")
    assert targets == [0, 1, 2]
    # Its text one byte a glyph (fonts.ONE_BYTE), as a reader finds it in its ToUnicode.
    encodings = {str(font.Encoding.CMapName) if isinstance(font.Encoding, pikepdf.Stream)
                 else str(font.Encoding) for page in document.pages
                 for font in page.Resources.Font.values()}
    assert encodings == {"/Letter-OneByte-H"}


def test_a_run_letter_keeps_every_piece_of_text_in_its_element(app, client, tmp_path):
    from portal.extensions import db
    from portal.letters.models import Letter
    from tests.support import factories

    cohort = factories.cohort()
    factories.person(cohort, postcode="1000", first_names="Élodie", last_name="Dubois")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    (letter,) = db.session.scalars(db.select(Letter).where(Letter.cohort_id == cohort.id))
    assert _problems(letter.pdf) == []


@pytest.mark.parametrize("title", ["Uitnodiging (2027) \\ Dienstjaar", "Année — Dienstjahr ①",
                                   "line\rend\nnext", "Brief (2027"])
def test_a_title_comes_back_as_written(title):
    assert str(pikepdf.Object.parse(pdfparts.pdf_string(title))) == title
