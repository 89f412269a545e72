"""bpost's rule for window envelopes, read from the printed PDF (poppler's pdftotext
-bbox, the positions of the words on page 1): nothing but the recipient's address shows in
the window zone, the address keeps 5 mm from every edge of it, and no other text comes
within 5 mm of it from outside (the folded sheet moves in the envelope); with the longest
address lines that fit (six lines, the widest as wide as the address block allows)."""
from __future__ import annotations

import subprocess
from html import unescape
from pathlib import Path
from xml.etree import ElementTree

import pytest

from portal.extensions import db
from portal.letters import address, render, services
from portal.letters.models import Letter
from tests.support import factories, letter_specimens

PT_MM = 25.4 / 72
EPSILON = 0.01  # mm: rounding of the positions in the file
# Six lines, the widest close to the full width of the address block.
LONGEST = services.Recipient(
    name="Marie-Charlotte Gabriëlle Van den Bossche-de la Kethulle de Ryhove",
    address_lines=("p/a Woonzorgcentrum Sint-Vincentius",
                   "Burgemeester Vandenbogaerdelaan-Noord 1234 bus 12B",
                   "1080 Sint-Jans-Molenbeek"),
    postcode="1080", first_name="Marie-Charlotte", register_language="nl")


def words_on_page_1(pdf: bytes, tmp_path: Path) -> list[tuple[str, tuple[float, ...]]]:
    """(word, (left, top, right, bottom) in mm from the sheet's top left) on page 1."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
                          check=True, capture_output=True).stdout
    # poppler's own output of our own file.
    tree = ElementTree.fromstring(html.replace(b"<!DOCTYPE", b"<!-- ").replace(  # noqa: S314
        b'xhtml1-transitional.dtd">', b' -->'))
    return [(unescape(word.text or ""), tuple(float(word.get(k)) * PT_MM
                                              for k in ("xMin", "yMin", "xMax", "yMax")))
            for word in tree.iter("{http://www.w3.org/1999/xhtml}word")]


def window_problems(pdf: bytes, lines, tmp_path: Path) -> list[str]:
    left, top, right, bottom = address.WINDOW_MM
    margin = address.WINDOW_MARGIN_MM
    address_words = [word for line in lines for word in line.split()]
    found, seen = [], []
    for word, (x0, y0, x1, y1) in words_on_page_1(pdf, tmp_path):
        near_window = (x1 > left - margin and x0 < right + margin and y1 > top - margin
                       and y0 < bottom + margin)
        if word not in address_words:
            # Nothing else in the window, nor within the margin around it: the sheet moves.
            if near_window:
                found.append(f"{word!r} is in or near the window ({x0:.1f}, {y0:.1f} mm)")
            continue
        if not near_window:
            continue
        seen.append(word)
        if (x0 < left + margin - EPSILON or x1 > right - margin + EPSILON
                or y0 < top + margin - EPSILON or y1 > bottom - margin + EPSILON):
            found.append(f"{word!r} is within {margin:g} mm of the window's edge "
                         f"({x0:.1f}-{x1:.1f} x {y0:.1f}-{y1:.1f} mm)")
    missing = sorted(set(address_words) - set(seen))
    if missing:
        found.append(f"address words outside the window: {missing}")
    return found


def test_the_longest_address_fills_the_block():
    lines = LONGEST.lines
    assert len(lines) == address.MAX_LINES
    widths = [render_width(line) for line in lines]
    assert max(widths) > 0.9 * address.WINDOW_WIDTH_PT


def render_width(text: str) -> float:
    from portal.letters.pdf import fonts

    return fonts.width(text, "regular", address.ADDRESS_SIZE_PT)


@pytest.mark.parametrize("name", letter_specimens.NAMES)
def test_only_the_address_is_in_the_window(app, tmp_path, name):
    found = {}
    with app.test_request_context():
        for order in (("nl", "fr"), ("de", "fr", "nl")):
            spec = letter_specimens.kinds()[name]
            texts = {lang: services.personal_slots(lang, LONGEST, "REF-0000-00000000",
                                                   spec.get("slots", {})) for lang in order}
            html = render.document_html(spec["kind"], order, spec["context"],
                                        texts.__getitem__)
            pdf = render.to_archive_pdf(render.layout(html))
            if problems := window_problems(pdf, LONGEST.lines, tmp_path):
                found["-".join(order)] = problems
    assert found == {}


def test_a_letter_run_prints_only_the_address_in_the_window(app, tmp_path):
    cohort = factories.cohort()
    person = factories.person(
        cohort, postcode="1080", first_names="Marie-Charlotte Gabriëlle",
        last_name="Van den Bossche-de la Kethulle de Ryhove",
        street="Burgemeester Vandenbogaerdelaan-Sint-Jans-Molenbeekse Heirbaan",
        house_number="1234", box="12B")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    letter = db.session.scalar(db.select(Letter).where(Letter.person_id == person.id))
    lines = services.Recipient.from_person(person).lines
    assert len(lines) >= 4
    assert window_problems(letter.pdf, lines, tmp_path) == []
