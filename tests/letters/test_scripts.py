"""Names in Hangul and in rare CJK ideographs (extension B, the end of the unified block,
compatibility ideographs) print with the packaged fallback fonts, in regular and bold, in
letter runs and full renders alike: real glyphs that read back as the same text. A
character no packaged font has still stops its letter, naming it."""
from __future__ import annotations

import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from portal.extensions import db
from portal.letters.models import Letter, RunItem
from portal.letters.services import NotPrintable
from tests.support import factories
from tests.support.letters import drawn_glyphs, pdf_text

ROOT = Path(__file__).resolve().parents[2]
KOREAN = dict(postcode="1000", first_names="지민", last_name="김")
# U+20BB7 (extension B), U+9FA6 (after Droid Sans Fallback's U+9FA5), U+FA2E (compatibility)
RARE = dict(postcode="1000", first_names="龦郞", last_name="𠮷野")
# U+20000: in no packaged font
UNPRINTABLE = dict(postcode="1000", first_names="Wei", last_name="𠀀")
SIGNATORY = "대령 박서준"


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def _assert_printed(pdf: bytes, text: str, tmp_path, font: str = "") -> None:
    """Every character of `text` is drawn with a real glyph (simple or composite, never
    .notdef or empty) and both readers get it back."""
    glyphs = drawn_glyphs(pdf)
    for char in text.replace(" ", ""):
        assert char in glyphs, f"U+{ord(char):04X} is not printed"
        assert all(contours != 0 for _font, contours in glyphs[char]), glyphs[char]
    assert any(font in name for char in text.replace(" ", "")
               for name, _contours in glyphs[char]), f"no {font} font prints {text}"
    for words in text.split():
        assert words in pdf_text(pdf)
        assert words in _pdftotext(pdf, tmp_path)


def test_korean_and_rare_ideograph_names_print_in_letter_runs(app, tmp_path):
    cohort = factories.cohort()
    korean, rare = factories.person(cohort, **KOREAN), factories.person(cohort, **RARE)
    bad = factories.person(cohort, **UNPRINTABLE)
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path / "run")])
    assert result.exit_code == 1  # one letter could not be printed
    failure = db.session.scalar(db.select(RunItem.failure).where(RunItem.key == bad.id))
    assert "U+20000" in failure
    letters = {letter.person_id: letter for letter in db.session.scalars(db.select(Letter))}
    assert bad.id not in letters
    _assert_printed(letters[korean.id].pdf, "김 지민", tmp_path, "Letter-Hangul")
    _assert_printed(letters[rare.id].pdf, "𠮷野 龦郞", tmp_path, "Letter-Hangul")
    batch = next((tmp_path / "run").rglob("*.pdf")).read_bytes()
    _assert_printed(batch, "김 지민 𠮷野", tmp_path, "Letter-Hangul")
    # The print shop's check accepts the batches (one name per font, text in its boxes).
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "letters_check.py"),
                            str(tmp_path / "run")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "2 letters checked: 0 problem(s)." in check.stdout


def test_korean_and_rare_ideograph_names_print_in_full_renders(app, tmp_path, monkeypatch):
    from portal.invitations.letters import issue_letter

    monkeypatch.setitem(app.config, "LETTER_SIGNATORY", SIGNATORY)
    cohort = factories.cohort()
    korean, rare = factories.person(cohort, **KOREAN), factories.person(cohort, **RARE)
    bad = factories.person(cohort, **UNPRINTABLE)
    db.session.commit()
    korean_letter, _code = issue_letter(korean, cohort, None)
    rare_letter, _code = issue_letter(rare, cohort, None)
    _assert_printed(korean_letter.pdf, "김 지민", tmp_path, "Letter-Hangul")
    _assert_printed(rare_letter.pdf, "𠮷野 龦郞", tmp_path, "Letter-Hangul")
    # The signatory is printed in bold: Hangul in the bold weight of the fallback.
    _assert_printed(korean_letter.pdf, SIGNATORY, tmp_path, "Letter-Hangul-Bold")
    with pytest.raises(NotPrintable, match="U\\+20000"):
        issue_letter(bad, cohort, None)


def test_the_run_path_prints_hangul_in_bold_with_the_bold_fallback():
    from portal.letters.pdf import fonts

    runs = fonts.shape("김지민", "bold")
    assert [run.face.postscript for run in runs] == ["Letter-Hangul-Bold"]
    assert all(gid for run in runs for gid, _advance, _text in run.glyphs)


def test_latin_letters_never_load_the_fallback_fonts():
    """A run of ordinary letters pays nothing for the CJK fonts (read on first need only)."""
    code = (
        "from portal.letters.pdf import fonts\n"
        "fonts.covered('Lotte Peeters, Kerkstraat 12 bus 3, 9000 Gent — Æsop Ørsted ß')\n"
        "fonts.width('Élodie Dubois-Lefèvre', 'bold', 9.5)\n"
        "print(fonts.face_file.cache_info().currsize)\n"
        "fonts.width('김지민', 'regular', 9.5)\n"
        "print(fonts.face_file.cache_info().currsize)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == "2"  # DejaVu regular and bold only
    assert int(out[1]) > 2


def test_run_letters_name_their_fonts_once_with_the_fallback(app, tmp_path):
    cohort = factories.cohort()
    factories.person(cohort, **KOREAN)
    db.session.commit()
    app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    letter = db.session.scalar(db.select(Letter))
    reader = PdfReader(BytesIO(letter.pdf))
    names = [str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()]
    assert any(name.endswith("+Letter-Hangul") for name in names)
