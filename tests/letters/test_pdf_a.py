"""The archived copy of a full render is PDF/A-2a (and PDF/UA-1), checked as an archive
would: an sRGB output intent with its ICC profile embedded, the PDF/A identification in
the XMP metadata, every font embedded, no encryption, tagged, and no DeviceCMYK colour
(forbidden with an sRGB intent): its black-ink text is DeviceGray."""
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
        data += page.Contents.read_bytes() if isinstance(page.Contents, pikepdf.Stream) else \
            b"".join(c.read_bytes() for c in page.Contents)
        for xobject in (page.Resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                data += xobject.read_bytes()
    return data


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
    assert profile.N == 3 and len(profile.read_bytes()) > 1000
    assert profile.read_bytes()[36:40] == b"acsp"  # an ICC profile
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
