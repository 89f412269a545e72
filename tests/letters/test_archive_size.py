"""What a letter costs the archive: every kind's archived letter stays within
ARCHIVED_LETTER_MAX_BYTES (20 kB with two language sections; a 150,000-letter cohort is
archived whole), and a compact run letter is still a whole letter: served byte for byte,
its fonts embedded with every printed character drawn by a real glyph, read whole by
pdf.js and by qpdf without a complaint."""
from __future__ import annotations

import hashlib
import unicodedata
from io import BytesIO

import pikepdf
import pytest

from portal.extensions import db
from portal.letters import render
from portal.letters.models import Letter
from portal.letters.pdf.archive import ARCHIVED_LETTER_MAX_BYTES
from tests.letters.test_pdf_readers import read_with_pdfjs, reader_problems
from tests.support import factories, letter_specimens
from tests.support.letters import drawn_glyphs, embedded_fonts, pdf_text


def test_archived_run_letters_fit_the_budget_and_stay_whole(app, client, login_as, tmp_path):
    cohort = factories.cohort()
    factories.person(cohort, postcode="9000", first_names="Lotte", last_name="Peeters")
    factories.person(cohort, postcode="4700", first_names="Anna", last_name="Schmitz",
                     register_language="de")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    letters = list(db.session.scalars(db.select(Letter).where(Letter.cohort_id == cohort.id)))
    assert sorted(letter.languages for letter in letters) == ["de,fr,nl", "nl,fr"]
    login_as("admin")
    files = {}
    for letter in letters:
        sections = len(letter.languages.split(","))
        assert len(letter.pdf) <= ARCHIVED_LETTER_MAX_BYTES[sections], (
            letter.languages, len(letter.pdf))
        assert letter.size == len(letter.pdf)
        served = client.get(f"/letters/{letter.public_id}.pdf").data
        assert served == letter.pdf and hashlib.sha256(served).hexdigest() == letter.sha256
        assert pikepdf.open(BytesIO(letter.pdf)).check_pdf_syntax() == []
        # One font per weight (the layout's and the letter's own glyphs), each embedded.
        assert sorted(name.split("+")[1] for name in embedded_fonts(letter.pdf)) == [
            "Letter-Sans", "Letter-Sans-Bold"]
        # Its text one byte a glyph: each font's codes through the embedded one-byte CMap.
        document = pikepdf.open(BytesIO(letter.pdf))
        encodings = {str(font.Encoding.CMapName) for page in document.pages
                     for font in page.Resources.Font.values()}
        assert encodings == {"/Letter-OneByte-H"}
        # Every character printed is drawn by a glyph with outlines (none lost or swapped
        # when the subsets were merged and renumbered; -1: a composite glyph, such as À).
        for char, drawn in drawn_glyphs(letter.pdf).items():
            if char.strip() and unicodedata.category(char)[0] in "LN":
                assert all(contours != 0 for _font, contours in drawn), (char, drawn)
        assert "Anna" in pdf_text(letter.pdf) or "Lotte" in pdf_text(letter.pdf)
        path = tmp_path / f"{letter.reference}.pdf"
        path.write_bytes(letter.pdf)
        files[path] = tuple(letter.languages.split(","))
    read = read_with_pdfjs(list(files))
    assert {path.name: problems for path, order in files.items()
            if (problems := reader_problems(path, read[str(path)], order))} == {}


@pytest.mark.parametrize("order", [("nl", "fr"), ("de", "fr", "nl")])
def test_every_kind_archived_in_full_fits_the_budget(app, order):
    sizes = {}
    with app.test_request_context():
        for name in letter_specimens.NAMES:
            if name == "data_export":  # made on request for its reader, never archived
                continue
            sizes[name] = len(render.to_archive_pdf(letter_specimens.layout(app, name, order)))
    assert {name: size for name, size in sizes.items()
            if size > ARCHIVED_LETTER_MAX_BYTES[len(order)]} == {}


def test_a_full_render_prints_its_qr_code_as_the_exact_symbol_unsmoothed(app):
    """The QR code of a full render is one small image: module for module the symbol of its
    sign-up URL with its quiet zone, drawn without smoothing (it must scan on paper)."""
    url = letter_specimens.LONG_SETTINGS["BASE_URL"] + "/start?code=X"
    with app.test_request_context():
        pdf = render.to_archive_pdf(letter_specimens.layout(app, "invitation", ("nl", "fr")))
    document = pikepdf.open(BytesIO(pdf))
    (image,) = [pikepdf.PdfImage(x) for x in document.pages[0].get_images().values()]
    assert image.obj.get("/Interpolate") is False
    expected = [0 if dark else 255 for row in render.qr_code(url).matrix_iter(border=4)
                for dark in row]
    assert list(image.as_pil_image().tobytes()) == expected
