"""Run letters and print batches declare PDF/UA-1 as full renders do, with what a PDF/UA
reader relies on: marked content, a document language, the title shown instead of the file
name, and the same title in the XMP metadata as in the document information."""
from __future__ import annotations

from io import BytesIO
from xml.etree import ElementTree

from pypdf import PdfReader

from portal.extensions import db
from portal.letters.models import Letter
from tests.support import factories

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/",
      "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}


def pdf_ua_basics(pdf: bytes) -> dict:
    reader = PdfReader(BytesIO(pdf))
    root = reader.trailer["/Root"]
    packet = root["/Metadata"].get_object().get_data()
    # The portal's own output, read back by its tests.
    xml = ElementTree.fromstring(packet.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])  # noqa: S314
    part = xml.find(".//pdfuaid:part", NS)
    if part is None:  # WeasyPrint writes it as an attribute
        part_text = next(d.get(f"{{{NS['pdfuaid']}}}part") for d in
                         xml.iterfind(".//rdf:Description", NS)
                         if d.get(f"{{{NS['pdfuaid']}}}part"))
    else:
        part_text = part.text
    return {
        "pdfua_part": part_text,
        "xmp_title": xml.find(".//dc:title/rdf:Alt/rdf:li", NS).text,
        "title": str(reader.metadata.title),
        "marked": bool(root["/MarkInfo"]["/Marked"]),
        "lang": str(root["/Lang"]),
        "display_title": bool(root["/ViewerPreferences"]["/DisplayDocTitle"]),
        "tagged": root.get("/StructTreeRoot") is not None,
    }


def test_run_letters_and_batches_declare_pdf_ua(app, tmp_path):
    cohort = factories.cohort()
    factories.person(cohort, postcode="9000", first_names="Lotte", last_name="Peeters")
    factories.person(cohort, postcode="5000", first_names="Camille", last_name="Dubois")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    letters = list(db.session.scalars(db.select(Letter)))
    titles = set()
    for letter in letters:
        basics = pdf_ua_basics(letter.pdf)
        assert basics == {"pdfua_part": "1", "xmp_title": basics["title"],
                          "title": basics["title"], "marked": True,
                          "lang": letter.languages.split(",")[0], "display_title": True,
                          "tagged": True}
        titles.add(basics["title"])
    assert titles == {"Uitnodiging — Militair Dienstjaar",
                      "Invitation — Année de Service Militaire"}
    batches = sorted(tmp_path.rglob("*.pdf"))
    assert batches
    for batch in batches:
        basics = pdf_ua_basics(batch.read_bytes())
        assert basics["pdfua_part"] == "1" and basics["marked"] and basics["tagged"]
        assert basics["xmp_title"] == basics["title"] in titles


def test_full_renders_declare_the_same(app):
    from portal.invitations.letters import issue_letter

    cohort = factories.cohort()
    person = factories.person(cohort, postcode="9000")
    db.session.commit()
    letter, _code = issue_letter(person, cohort, None)
    basics = pdf_ua_basics(letter.pdf)
    assert basics["pdfua_part"] == "1"
    assert basics["xmp_title"] == basics["title"] == "Uitnodiging — Militair Dienstjaar"
    assert basics["marked"] and basics["display_title"] and basics["lang"] == "nl"
