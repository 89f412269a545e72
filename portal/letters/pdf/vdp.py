"""Variable-data printing for letter runs.

A letter run lays out each language variant of a letter once, with its personal slots
(`data-slot` elements: address, reference, salutation, code, QR code) left empty. For each
recipient it then writes the template's pages again, untouched, plus one small overlay
stream per page that prints the personal texts at the positions, sizes and weights the
layout gave those slots, in a font subset to that letter's own glyphs. Every letter is a
complete PDF of its own; print batches hold each variant's template once.
"""
from __future__ import annotations

import secrets
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from portal.letters.pdf import fonts, qrfast
from portal.letters.pdf.pdfparts import (
    Template,
    Writer,
    deflated_stream,
    pdf_string,
    plain_object,
    stream_object,
)

PX = 0.75  # CSS px -> PDF pt
QR_NAME = "OvQR"
# Light modules around a QR symbol, on each side (ISO/IEC 18004 asks for at least 4).
QR_QUIET_ZONE = 4


class TextOverflow(ValueError):
    """A personal text wider than its slot: it would be cut off, so the letter fails."""


@dataclass
class Slot:
    name: str
    lang: str
    page: int
    x: float        # pt, from the left
    top: float      # pt, from the bottom of the page (PDF space) to the slot's top
    width: float
    height: float
    style: str      # "regular" | "bold"
    size: float     # pt
    baseline: float  # pt, PDF space
    color: bytes    # the fill colour operator, e.g. b"0 g" (black ink only)
    mcid: int | None = None  # its marked-content id in the structure tree (tagged PDF)
    block: bool = True  # a line of its own (its width is the line's, not its text's)


def find_slots(document) -> list[Slot]:
    slots: list[Slot] = []
    seen: set[int] = set()

    def walk(box, lang, page_no, page_height, parent_color=None):
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", None) == "section":
            lang = element.get("lang") or lang
        name = element.get("data-slot") if element is not None else None
        if name and id(element) not in seen:
            seen.add(id(element))
            style = box.style
            size = style["font_size"]
            line = style["line_height"]
            line = line.value if hasattr(line, "value") else size * float(line)
            weight = "bold" if style["font_weight"] >= 600 else "regular"
            face = fonts.face(weight)
            ascent, descent = face.ascent * size, face.descent * size
            baseline_px = box.content_box_y() + (line - ascent - descent) / 2 + ascent
            slots.append(Slot(
                name=name, lang=lang, page=page_no, x=box.content_box_x() * PX,
                top=page_height - box.content_box_y() * PX, width=box.width * PX,
                height=box.height * PX, style=weight, size=size * PX,
                baseline=page_height - baseline_px * PX, color=_fill(_visible(
                    style["color"], parent_color)),
                block=style["display"][0] != "inline",
            ))
        color = getattr(box, "style", {}).get("color") if hasattr(box, "style") else None
        for child in getattr(box, "children", ()):
            walk(child, lang, page_no, page_height, color or parent_color)

    for number, page in enumerate(document.pages):
        walk(page._page_box, None, number, page.height * PX)
    return slots


class Layout:
    """One kind in one language order, laid out once: its constant pages and where each
    personal text goes.

    The layout is tagged, and each text slot held one no-break space: WeasyPrint gave it
    a marked-content id and a structure element in reading order (address, reference,
    salutation, then the body). That placeholder is taken out of the pages, and each letter
    prints its own text under the same id, so the one structure tree fits every letter."""

    def __init__(self, document, pdf: bytes, languages, title: str, qr_prefix: bytes = b"",
                 bookmarks: list[str] | None = None, slots: list[Slot] | None = None):
        """`slots`: those `find_slots` found in this layout before (then `document` is not
        read: a layout kept by another process of the run, see variants.Variant.kept)."""
        self.languages = tuple(languages)
        self.slots = find_slots(document) if slots is None else slots
        self.pdf = pdf
        self.template = Template(pdf)
        self.page_count = len(self.template.pages)
        self.title = title
        # What every QR URL of this layout starts with (see qrfast).
        self.qr_prefix = qr_prefix
        if self.template.structure:
            self._tag_slots()

    def _tag_slots(self) -> None:
        for page in range(self.page_count):
            marks = [m for m in self.template.marked_texts(page) if m.glyphs == 1]
            taken = set()
            for slot in (s for s in self.slots if s.page == page and s.name != "qr"):
                x, y = slot.x / PX, (self.template.pages[page].height - slot.baseline) / PX
                near = [m for m in marks if m.mcid not in taken
                        and abs(m.x - x) < 1.5 and abs(m.y - y) < 4]
                if near:
                    mark = min(near, key=lambda m: abs(m.y - y) + abs(m.x - x))
                    slot.mcid = mark.mcid
                    taken.add(mark.mcid)
            self.template.strip_marked(page, taken)
        lost = [s.name for s in self.slots if s.name != "qr" and s.mcid is None]
        if lost:  # WeasyPrint's marked content is no longer what this code reads
            raise RuntimeError(f"slots without a place in the structure tree: {lost}")


@dataclass
class Personal:
    """What one letter prints besides the template: texts per language and slot name, a
    seed for the file identifier (its reference), and the QR code's URL."""

    texts: dict[str, dict[str, str]]
    seed: str
    qr_url: str | None = None
    # Printed in the margins as sheet marks (see SheetMarks); none when empty.
    reference: str = ""
    name: str = ""


def _visible(color, parent_color):
    """A run layout's placeholders are transparent: the letter prints in the colour the
    slot inherits."""
    if getattr(color, "alpha", 1) == 0 and parent_color is not None:
        return parent_color
    return color


def _fill(color) -> bytes:
    """The PDF fill operator of a CSS colour. Black ink only (device-cmyk with K alone) is
    DeviceGray of the same darkness, as in the layout (`render._gray_inks`): PDF/A allows
    it with any output intent and printers put it on the black ink."""
    space = getattr(color, "space", "srgb")
    coordinates = tuple(getattr(color, "coordinates", (0, 0, 0)))
    if space == "device-cmyk":
        c, m, y, k = (tuple(coordinates) + (0, 0, 0, 0))[:4]
        if c == m == y == 0:
            return b"%s g" % _fmt(1 - k)
        return b"%s %s %s %s k" % tuple(_fmt(v) for v in coordinates[:4])
    r, g, b = (coordinates + (0, 0, 0))[:3]
    return b"%s %s %s rg" % (_fmt(r), _fmt(g), _fmt(b))


def _fmt(value: float) -> bytes:
    return (b"%.3f" % value).rstrip(b"0").rstrip(b".")


def qr_image(url: str, prefix: bytes = b"") -> tuple[int, bytes]:
    """The QR code as (modules per side, 1-bit image rows): drawn as an image mask, one
    device pixel grid per module, so printers render it as crisply as vectors."""
    data = url.encode()
    if prefix and data.startswith(prefix):
        encoder = qrfast.encoder(prefix, len(data) - len(prefix))
        return encoder.size, encoder.packed(data[len(prefix):])
    matrix = qrfast.symbol(data).matrix
    return len(matrix), qrfast.pack(qrfast.matrix_bits(matrix), len(matrix))


def _qr_ops(slot: Slot, modules: int) -> bytes:
    """The symbol inside its slot with a light quiet zone of QR_QUIET_ZONE modules."""
    module = min(slot.width, slot.height) / (modules + 2 * QR_QUIET_ZONE)
    side = module * modules
    margin = module * QR_QUIET_ZONE
    return b"q 0 g %s 0 0 %s %s %s cm /%s Do Q" % (
        _fmt(side), _fmt(side), _fmt(slot.x + margin), _fmt(slot.top - margin - side),
        QR_NAME.encode())


@dataclass
class LetterParts:
    overlays: list[bytes | None]           # one deflated content stream per page
    fonts: dict[str, fonts.SubsetFont]     # resource name -> the letter's own subset
    qr: tuple[int, bytes] | None           # the QR image: (size, rows)
    personal: Personal
    variant: Layout | Archived  # Archived: a letter laid in whole (rebuilt batch)


def _font_name(style: str, face: fonts.Face) -> str:
    return f"Ov{style[0].upper()}{fonts.STACKS[style].index(face.file)}"


def fitted(slot: Slot, text: str) -> tuple[fonts.Run, ...]:
    """The text of a slot shaped, if it fits on the slot's one line. The rule of both paths:
    a personal text is never wrapped or cut (a single word as long as a line has no place
    to break), so a text wider than its slot fails the letter with TextOverflow."""
    runs = fonts.shape(text, slot.style)
    advance = sum(run.advance for run in runs) * slot.size / 1000
    if advance > slot.width + 0.01:
        raise TextOverflow(f"{slot.name} is {advance:.1f} pt wide, its box "
                           f"{slot.width:.1f} pt")
    return runs


def check_fits(document, texts_by_lang: dict[str, dict]) -> None:
    """The full render's personal texts measured against the boxes WeasyPrint laid out for
    them, by the run path's rule (`fitted`). Raises TextOverflow."""
    for slot in find_slots(document):
        text = texts_by_lang.get(slot.lang, {}).get(slot.name)
        if slot.name != "qr" and slot.block and text:
            fitted(slot, text)


MM = 72 / 25.4


class SheetMarks:
    """What ties every printed page to its letter, so that an inserter or a person sees a
    missing or swapped sheet: in the bottom margin, left (away from the page number and
    far below the address window), "<reference> S<sheet>/<sheets> P<page>/<pages>" in
    black; at the top of every page after the first, "<reference> — <name>". Both are
    pagination artifacts, outside the structure tree. scripts/letters_check.py reads the
    marks back at these places."""

    X = 22 * MM              # the left page margin
    MARK_BASELINE = 10 * MM  # from the bottom edge
    MARK_SIZE = 6.5
    HEADER_BASELINE = 13 * MM  # from the top edge
    HEADER_SIZE = 7.5
    INK = b"0 g"

    @staticmethod
    def mark(reference: str, page: int, pages: int) -> str:
        """The mark of page `page` (from 0) of a letter of `pages` pages, printed duplex."""
        return f"{reference} S{page // 2 + 1}/{(pages + 1) // 2} P{page + 1}/{pages}"

    @staticmethod
    def header(reference: str, name: str) -> str:
        return f"{reference} \u2014 {name}" if name else reference


def _text_ops(x: float, baseline: float, size: float, style: str, color: bytes, runs,
              used: dict) -> list[bytes]:
    ops = [b"q %s BT 1 0 0 1 %s %s Tm" % (color, _fmt(x), _fmt(baseline))]
    for run in runs:
        name = _font_name(style, run.face)
        glyphs = used.setdefault(name, (style, run.face, {}))[2]
        ops.append(b"/%s %s Tf [%s] TJ" % (name.encode(), _fmt(size), _tj(run, glyphs)))
    ops.append(b"ET Q")
    return ops


def _sheet_marks(variant: Layout, personal: Personal, overlays: list[list[bytes]],
                 used: dict) -> None:
    pages = variant.page_count
    for page in range(pages):
        mark = SheetMarks.mark(personal.reference, page, pages)
        overlays[page].append(b" ".join([
            b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC",
            *_text_ops(SheetMarks.X, SheetMarks.MARK_BASELINE, SheetMarks.MARK_SIZE,
                       "regular", SheetMarks.INK, fonts.shape(mark, "regular"), used),
            b"EMC"]))
        if page:
            height = variant.template.pages[page].height
            header = SheetMarks.header(personal.reference, personal.name)
            overlays[page].append(b" ".join([
                b"/Artifact <</Type /Pagination /Subtype /Header>> BDC",
                *_text_ops(SheetMarks.X, height - SheetMarks.HEADER_BASELINE,
                           SheetMarks.HEADER_SIZE, "regular", SheetMarks.INK,
                           fonts.shape(header, "regular"), used),
                b"EMC"]))


def compose(variant: Layout, personal: Personal) -> LetterParts:
    """The overlay streams and the glyphs one letter needs. Raises fonts.MissingGlyph for
    a character no packaged font has and TextOverflow for a text wider than its slot."""
    overlays: list[list[bytes]] = [[] for _ in range(variant.page_count)]
    used: dict[str, tuple[str, fonts.Face, dict[int, str]]] = {}
    texts_by_lang = personal.texts
    qr = qr_image(personal.qr_url, variant.qr_prefix) if personal.qr_url else None
    for slot in variant.slots:
        if slot.name == "qr":
            if qr is not None:  # decorative: the code and address are printed as text
                overlays[slot.page].append(b"/Artifact BMC " + _qr_ops(slot, qr[0]) + b" EMC")
            continue
        text = texts_by_lang[slot.lang].get(slot.name)
        if not text:
            if slot.mcid is not None:  # its structure element stays, with no text
                overlays[slot.page].append(b"/Span <</MCID %d>> BDC EMC" % slot.mcid)
            continue
        runs = fitted(slot, text)
        ops = [b"/Span <</MCID %d>> BDC" % slot.mcid] if slot.mcid is not None else []
        # The clip is the page, not the slot: a text is measured to fit, never cut.
        ops += _text_ops(slot.x, slot.baseline, slot.size, slot.style, slot.color, runs,
                         used)
        if slot.mcid is not None:
            ops.append(b"EMC")
        overlays[slot.page].append(b" ".join(ops))
    if personal.reference:
        _sheet_marks(variant, personal, overlays, used)
    return LetterParts(
        overlays=[zlib.compress(b"\n".join(ops), 6) if ops else None for ops in overlays],
        fonts={name: _font(style, face, glyphs) for name, (style, face, glyphs) in used.items()},
        qr=qr, personal=personal, variant=variant)


def _tj(run: fonts.Run, glyphs: dict[int, str]) -> bytes:
    """A TJ array printing the shaped glyphs with their shaped advances (kerning): after
    each glyph the pen moves by its width in the font's /W, corrected to the advance."""
    out = [b"<"]
    widths = run.face.advances
    for gid, advance, text in run.glyphs:
        if text or gid not in glyphs:
            glyphs.setdefault(gid, text)
        out.append(b"%04x" % gid)
        correction = widths[gid] - advance
        if correction:  # glyphs with nothing between them stay in one string
            out.append(b">%d<" % correction)
    out.append(b">")
    return b"".join(out).replace(b"<>", b"")


# Glyphs every letter may share: the invitation code's alphabet, in any weight.
STOCK = "0123456789ABCDEFGHJKMNPQRSTVWXYZ-"


def _font(style: str, face: fonts.Face, glyphs: dict[int, str]) -> fonts.SubsetFont:
    """The letter's own subset; one per process when it only prints code characters, so
    that a print batch embeds that font once."""
    if face is fonts.face(style):
        stock = fonts.stock(style, STOCK)
        if set(glyphs) <= stock.gids:
            return stock
    return fonts.SubsetFont(face, glyphs)


class Numbers:
    def __init__(self, start: int):
        self.next = start

    def take(self, count: int = 1) -> int:
        first = self.next
        self.next += count
        return first


@dataclass
class Written:
    """What the file's catalog needs to know of one letter written into it."""

    pages: list[int]
    document: int | None = None              # its Document structure element
    parents: list[bytes] = field(default_factory=list)  # ParentTree entry of each page
    bookmarks: list[tuple[str, int, float, float]] = field(default_factory=list)


class File:
    """The objects every letter of one PDF file shares: the page tree, the structure tree
    root and the running count of pages that have a structure parent entry."""

    def __init__(self, numbers: Numbers):
        self.pages_ref = numbers.take()
        self.struct_root = numbers.take()
        self.struct_parents = 0


def write_parts(writer, parts: LetterParts, base: int, numbers: Numbers,
                file: File, shared: dict[bytes, int] | None = None,
                recode=None) -> Written:
    """Writes one letter's own objects (fonts, overlays, pages, structure elements).
    `shared` keeps the fonts already written to this file (per process stock subsets);
    `recode(overlay)` rewrites an overlay's deflated content (its glyph codes)."""
    pages_ref = file.pages_ref
    variant = parts.variant
    template = variant.template
    font_refs: dict[str, int] = {}
    for name, font in parts.fonts.items():
        if shared is not None and font.name in shared:  # the same program: one object
            font_refs[name] = shared[font.name]
            continue
        first = numbers.take(5)
        type0, objects = font.objects(first)
        for offset, data in enumerate(objects):
            writer.add(first + offset, data)
        font_refs[name] = type0
        if shared is not None:
            shared[font.name] = type0
    images = {}
    if parts.qr is not None:
        size, rows = parts.qr
        num = numbers.take()
        writer.add(num, b"%d 0 obj\n<</Type /XObject /Subtype /Image /Width %d /Height %d "
                        b"/ImageMask true /BitsPerComponent 1 /Decode [1 0] /Interpolate false "
                        b"/Length %d>>\nstream\n%s\nendstream\nendobj\n"
                   % (num, size, size, len(rows), rows))
        images[QR_NAME] = num
    structure = template.structure
    page_nums = [numbers.take() for _ in parts.overlays]
    first_parent = file.struct_parents
    for index, overlay in enumerate(parts.overlays):
        page = template.pages[index]
        contents = [base + template.q, *(base + c for c in page.contents),
                    base + template.big_q]
        if overlay:
            num = numbers.take()
            writer.add(num, deflated_stream(num, recode(overlay) if recode else overlay))
            contents.append(num)
        tagged = b""
        if structure:
            tagged = b"/StructParents %d " % (first_parent + index)
        num = page_nums[index]
        writer.add(num, plain_object(num, b"<</Type /Page /Parent %d 0 R %s%s/Resources %s "
                                          b"/Contents [%s]>>" % (
            pages_ref, page.extra, tagged, template.resources(index, base, font_refs, images),
            b" ".join(b"%d 0 R" % c for c in contents))))
    written = Written(pages=page_nums, bookmarks=[
        (b.title, page_nums[b.page], b.left, b.top) for b in template.bookmarks])
    if structure:
        file.struct_parents += len(page_nums)
        elements = numbers.take(len(structure.elements))
        data, entries = structure.chunk(elements, page_nums, base, file.struct_root)
        writer.chunk(data, entries)
        written.document = elements + structure.document
        written.parents = [structure.parents(i, elements) for i in range(len(page_nums))]
    return written


def _outlines(writer, numbers: Numbers, bookmarks) -> int | None:
    """One bookmark per language section (its heading), as the full render has them."""
    if not bookmarks:
        return None
    outlines = numbers.take()
    items = [numbers.take() for _ in bookmarks]
    for n, (num, (title, page, left, top)) in enumerate(zip(items, bookmarks, strict=True)):
        links = b""
        if n:
            links += b"/Prev %d 0 R " % items[n - 1]
        if n + 1 < len(items):
            links += b"/Next %d 0 R " % items[n + 1]
        writer.add(num, plain_object(num, b"<</Title %s /Parent %d 0 R %s/Dest [%d 0 R /XYZ "
                                          b"%s %s 0]>>" % (pdf_string(title), outlines, links,
                                                           page, _fmt(left), _fmt(top))))
    writer.add(outlines, plain_object(outlines, b"<</Type /Outlines /First %d 0 R /Last %d 0 R "
                                                b"/Count %d>>" % (items[0], items[-1],
                                                                  len(items))))
    return outlines


# The output intent of every tagged letter and batch, as of a full render's archived copy
# (render.ARCHIVE_OPTIONS): sRGB, its ICC profile embedded (scripts/srgb_profile.py).
SRGB = Path(__file__).resolve().parents[2] / "static" / "letters" / "srgb.icc"
SRGB_NAME = "sRGB IEC61966-2.1"


@cache
def _srgb_deflated() -> bytes:
    return zlib.compress(SRGB.read_bytes(), 9)


def xmp(title: str, lang: str) -> bytes:
    """The XMP metadata of a tagged letter or batch: PDF/A-2a and PDF/UA-1, as the full
    render's archived copy declares them, and the document title (dc:title, the same as the
    Info dictionary's Title)."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        '<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>'
        '</rdf:Description>'
        '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        '<pdfuaid:part>1</pdfuaid:part></rdf:Description>'
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        '<pdf:Producer>Dienstjaar portal</pdf:Producer></rdf:Description>'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt>'
        f'</dc:title><dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag>'
        '</dc:language></rdf:Description>'
        '</rdf:RDF></x:xmpmeta>\n<?xpacket end="r"?>').encode()


def _close(writer, numbers: Numbers, file: File, letters: list[Written],
           title: str, lang: str, seed: bytes) -> None:
    page_nums = [num for written in letters for num in written.pages]
    writer.add(file.pages_ref, plain_object(file.pages_ref, b"<</Type /Pages /Count %d "
                                                            b"/Kids [%s]>>" % (
        len(page_nums), b" ".join(b"%d 0 R" % n for n in page_nums))))
    catalog = b""
    documents = [w.document for w in letters if w.document is not None]
    if documents:
        parent_tree = numbers.take()
        parents = [entry for w in letters if w.document is not None for entry in w.parents]
        writer.add(parent_tree, plain_object(parent_tree, b"<</Nums [%s]>>" % b" ".join(
            b"%d %s" % (n, entry) for n, entry in enumerate(parents))))
        writer.add(file.struct_root, plain_object(file.struct_root, (
            b"<</Type /StructTreeRoot /K [%s] /ParentTree %d 0 R /ParentTreeNextKey %d>>" % (
                b" ".join(b"%d 0 R" % d for d in documents), parent_tree, len(parents)))))
        catalog += (b"/StructTreeRoot %d 0 R /MarkInfo <</Marked true>> "
                    b"/ViewerPreferences <</DisplayDocTitle true>> " % file.struct_root)
    outlines = _outlines(writer, numbers, [b for w in letters for b in w.bookmarks])
    if outlines is not None:
        catalog += b"/Outlines %d 0 R /PageMode /UseOutlines " % outlines
    if documents:
        metadata = numbers.take()
        # Compressed, as PDF/A-2 allows (PDF/A-1 did not) and the full renders have it.
        writer.add(metadata, stream_object(metadata, xmp(title, lang),
                                           b"/Type /Metadata /Subtype /XML "))
        catalog += b"/Metadata %d 0 R " % metadata
        profile = numbers.take()
        writer.add(profile, deflated_stream(profile, _srgb_deflated(), b"/N 3 "))
        name = pdf_string(SRGB_NAME)
        catalog += (b"/OutputIntents [<</Type /OutputIntent /S /GTS_PDFA1 "
                    b"/OutputConditionIdentifier %s /Info %s /DestOutputProfile %d 0 R>>] "
                    % (name, name, profile))
    root, info = numbers.take(), numbers.take()
    writer.add(root, plain_object(root, b"<</Type /Catalog /Pages %d 0 R /Lang %s %s>>"
                                  % (file.pages_ref, pdf_string(lang), catalog)))
    writer.add(info, plain_object(info, b"<</Title %s /Producer (Dienstjaar portal)>>"
                                  % pdf_string(title)))
    writer.finish(root, info, seed)


@dataclass
class Archived:
    """A letter already made (archived bytes), laid into a batch as its own template: its
    pages, fonts (renamed per letter, so that no two share a name in the batch), structure
    tree, bookmarks and title as they are. Stands in for a Layout in `batch_pdf`."""

    template: Template
    languages: tuple[str, ...]

    @property
    def page_count(self) -> int:
        return len(self.template.pages)

    @property
    def title(self) -> str:
        return self.template.title


def archived_parts(pdf: bytes, languages) -> LetterParts:
    """An archived letter, ready for `batch_pdf` next to others (a batch rebuilt after a
    crash): nothing is rendered or composed again."""
    variant = Archived(Template(pdf), tuple(languages))
    return LetterParts(overlays=[None] * variant.page_count, fonts={}, qr=None,
                       personal=Personal(texts={}, seed=""), variant=variant)


def blank_pages(page_count: int) -> int:
    """Blank pages after a letter in a duplex batch, so that the next starts on a front."""
    return page_count % 2


def batch_pdf(fh, letters: list[LetterParts], title: str = "") -> None:
    """Many letters in one printable PDF, safe to print on both sides: every letter starts
    on a front side (a blank page after an odd count). Each variant's template and each
    shared font is written once."""
    writer = Writer(fh)
    bases: dict[int, int] = {}
    shared: dict[bytes, int] = {}
    numbers = Numbers(1)
    file = File(numbers)
    written_letters: list[Written] = []
    for parts in letters:
        template = parts.variant.template
        key = id(template)
        if key not in bases:
            bases[key] = numbers.take(template.count) - 1
            writer.chunk(*template.chunk(bases[key]))
        written = write_parts(writer, parts, bases[key], numbers, file, shared)
        written_letters.append(written)
        for _blank in range(blank_pages(len(parts.overlays))):
            num = numbers.take()
            writer.add(num, plain_object(num, b"<</Type /Page /Parent %d 0 R %s"
                                              b"/Resources <<>> >>" % (
                file.pages_ref, template.pages[-1].extra)))
            written.pages.append(num)
    first = letters[0].variant if letters else None
    _close(writer, numbers, file, written_letters, title or (first.title if first else ""),
           first.languages[0] if first else "nl", secrets.token_bytes(8))
