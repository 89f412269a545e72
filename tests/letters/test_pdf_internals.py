"""What portal/letters/pdf reads inside WeasyPrint and pypdf, checked on its own, so that an
upgrade that changes those internals fails here, by name, before any letter is wrong."""
from __future__ import annotations

import zlib
from io import BytesIO

from pypdf import PdfReader

from portal.letters import render
from portal.letters.pdf import vdp
from portal.letters.pdf.pdfparts import Template, Writer, plain_object

HTML = """<!doctype html><html lang="nl"><body>
<section lang="fr"><p>Texte <span class="slot-line" data-slot="reference">X</span></p></section>
</body></html>"""


def test_weasyprint_boxes_still_give_slot_positions_fonts_and_languages(app):
    document = render.layout(HTML)
    page = document.pages[0]
    assert hasattr(page, "_page_box"), "WeasyPrint pages no longer expose _page_box"
    (slot,) = vdp.find_slots(document)
    assert (slot.name, slot.lang, slot.page) == ("reference", "fr", 0)
    assert 0 < slot.x < page.width * vdp.PX and 0 < slot.top <= page.height * vdp.PX
    assert slot.size == 9.5 and slot.style == "regular"
    assert slot.baseline < slot.top and slot.width > 0 and slot.height > 0


def test_pypdf_still_gives_stored_stream_data_and_the_template_round_trips(app):
    pdf = render.to_pdf(render.layout(HTML))
    template = Template(pdf)
    data, entries = template.chunk(0)
    assert [num for num, _offset in entries] == list(range(1, template.count + 1))
    # Written again under new numbers, the page reads back with the same text.
    out = BytesIO()
    writer = Writer(out)
    writer.chunk(data, entries)
    pages_ref, page_ref, root, info = range(template.count + 1, template.count + 5)
    page = template.pages[0]
    contents = [template.q, *page.contents, template.big_q]
    writer.add(page_ref, plain_object(page_ref, b"<</Type /Page /Parent %d 0 R %s/Resources %s "
                                      b"/Contents [%s]>>" % (
        pages_ref, page.extra, template.resources(0, 0, {}),
        b" ".join(b"%d 0 R" % c for c in contents))))
    writer.add(pages_ref, plain_object(pages_ref, b"<</Type /Pages /Count 1 /Kids [%d 0 R]>>"
                                       % page_ref))
    writer.add(root, plain_object(root, b"<</Type /Catalog /Pages %d 0 R>>" % pages_ref))
    writer.add(info, plain_object(info, b"<<>>"))
    writer.finish(root, info, b"seed")
    reader = PdfReader(BytesIO(out.getvalue()), strict=True)
    assert "Texte" in reader.pages[0].extract_text()
    contents = PdfReader(BytesIO(pdf)).pages[0].raw_get("/Contents")
    stream = (contents[0] if isinstance(contents, list) else contents).get_object()
    raw = getattr(stream, "_data", None)
    assert raw is not None, "pypdf stream objects no longer keep their stored data in _data"
    assert stream["/Filter"] == "/FlateDecode"
    assert zlib.decompress(raw) == stream.get_data()


def test_every_slot_of_a_run_layout_finds_its_marked_content_and_structure_element(app):
    from portal.invitations import letters as invitation
    from portal.letters.variants import Variant
    from tests.support import factories

    variant = Variant("invitation", ("de", "fr", "nl"), invitation.context(factories.cohort()))
    layout = variant.layout
    texts = [s for s in layout.slots if s.name != "qr"]
    assert texts and all(s.mcid is not None for s in texts)
    assert layout.template.structure.document is not None
    # The placeholders are gone from the pages: nothing of them is printed.
    for page in range(layout.page_count):
        left = {m.mcid for m in layout.template.marked_texts(page)}
        assert not left & {s.mcid for s in texts if s.page == page}
