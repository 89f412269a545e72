"""The archived copy of a full render and a run letter as archived (and its print batch)
are PDF/A-2a (and PDF/UA-1), checked as an archive would: an sRGB output intent with its
ICC profile embedded, the PDF/A identification in the XMP metadata, every font embedded,
no encryption, tagged, and no DeviceCMYK colour (forbidden with an sRGB intent): their
black-ink text is DeviceGray."""
from __future__ import annotations

import re
from io import BytesIO

import pikepdf

from portal.extensions import db
from tests.support import factories


def _fonts(resources, seen=None):
    seen = set() if seen is None else seen
    yield from (resources.get("/Font") or {}).values()
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts(xobject.get("/Resources") or {}, seen)


def _content(pdf) -> bytes:
    data = b""
    for page in pdf.pages:
        if "/Contents" not in page:  # a blank back side of a print batch
            continue
        data += page.Contents.read_bytes() if isinstance(page.Contents, pikepdf.Stream) else \
            b"".join(c.read_bytes() for c in page.Contents)
        for xobject in (page.Resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                data += xobject.read_bytes()
    # The operators only: a string's bytes (one-byte glyph codes) may read "k" or "K".
    return _STRINGS.sub(b"()", data)


_STRINGS = re.compile(rb"\((?:\\.|[^\\()])*\)", re.S)


def test_full_renders_are_archived_as_pdf_a_and_pdf_ua(app):
    from portal.invitations.letters import issue_letter

    cohort = factories.cohort()
    person = factories.person(cohort, postcode="4700", first_names="Lukas", last_name="Schmitz",
                              box="2")
    db.session.commit()
    letter, _code = issue_letter(person, cohort, None)
    pdf = pikepdf.open(BytesIO(letter.pdf))
    assert not pdf.is_encrypted
    intents = pdf.Root.OutputIntents
    assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
    profile = intents[0].DestOutputProfile
    assert profile.N == 3 and profile.read_bytes()[36:40] == b"acsp"  # an ICC profile
    assert str(intents[0].OutputConditionIdentifier) == "sRGB IEC61966-2.1"
    with pdf.open_metadata() as xmp:
        assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "A"
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["dc:title"] == str(pdf.docinfo.Title) == "Einladung — Militärisches Dienstjahr"
    assert pdf.Root.MarkInfo.Marked and "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "de"
    fonts = [font for page in pdf.pages for font in _fonts(page.Resources)]
    assert fonts
    for font in fonts:
        descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = descendant.FontDescriptor
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), \
            font.BaseFont
    content = _content(pdf)
    assert b"DeviceCMYK" not in content and not re.search(rb"\bk\b|\bK\b", content)
    assert re.search(rb"\b0 g\b", content)  # the body text: black, as DeviceGray


def _assert_pdf_a(data: bytes, title: str, lang: str) -> None:
    pdf = pikepdf.open(BytesIO(data))
    assert not pdf.is_encrypted
    assert pdf.check_pdf_syntax() == []
    intents = pdf.Root.OutputIntents
    assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
    assert str(intents[0].OutputConditionIdentifier) == "sRGB IEC61966-2.1"
    profile = intents[0].DestOutputProfile
    icc = profile.read_bytes()
    assert profile.N == 3 and icc[36:40] == b"acsp" and icc[12:20] == b"mntrRGB "
    assert icc[8] == 4 and icc[9] <= 0x20  # ICC 4.2 at most (PDF 1.7, PDF/A-2)
    # Metadata compressed as PDF/A-2 allows (PDF/A-1 did not), as in the full renders.
    assert b'<?xpacket end="r"?>' in pdf.Root.Metadata.read_bytes()
    with pdf.open_metadata() as xmp:
        assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "A"
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["dc:title"] == str(pdf.docinfo.Title) == title
        assert xmp["pdf:Producer"] == str(pdf.docinfo.Producer)
    assert pdf.trailer.ID[0] == pdf.trailer.ID[1]
    assert pdf.Root.MarkInfo.Marked and "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == lang
    fonts = [font for page in pdf.pages for font in _fonts(page.Resources)]
    assert fonts
    for font in fonts:
        descendant = font.DescendantFonts[0]
        assert "/FontFile2" in descendant.FontDescriptor, font.BaseFont
        assert "/CIDToGIDMap" in descendant  # required of a CIDFontType2 in PDF/A-2
    content = _content(pdf)
    assert b"DeviceCMYK" not in content and not re.search(rb"\bk\b|\bK\b", content)
    assert re.search(rb"\b0 g\b", content)  # black ink, as DeviceGray
    for page in pdf.pages:
        for image in (page.Resources.get("/XObject") or {}).values():
            assert image.get("/Interpolate") is not True


def test_run_letters_and_their_batches_are_pdf_a_like_full_renders(app, tmp_path):
    """A run letter as archived (and its print batch) is PDF/A-2a with PDF/UA-1, checked
    as the full render's archived copy: the same output intent and identification, black
    ink as DeviceGray in the layout and in the letter's own texts, fonts embedded."""
    from portal.letters.models import Letter

    cohort = factories.cohort()
    factories.person(cohort, postcode="9000", first_names="Lotte", last_name="Peeters")
    factories.person(cohort, postcode="4700", first_names="Anna", last_name="Schmitz",
                     register_language="de")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    letters = list(db.session.scalars(db.select(Letter).where(Letter.cohort_id == cohort.id)))
    titles = {"nl": "Uitnodiging — Militair Dienstjaar",
              "de": "Einladung — Militärisches Dienstjahr"}
    assert len(letters) == 2
    for letter in letters:
        first = letter.languages.split(",")[0]
        _assert_pdf_a(letter.pdf, titles[first], first)
    (batch,) = tmp_path.glob("*.pdf")
    data = batch.read_bytes()
    with pikepdf.open(BytesIO(data)) as pdf:
        first = str(pdf.Root.Lang)
    _assert_pdf_a(data, titles[first], first)
