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
from dataclasses import dataclass
from io import BytesIO

from portal.letters.pdf import fontsubset, qrfast
from portal.letters.pdf.pdfparts import (
    Template,
    Writer,
    deflated_stream,
    pdf_string,
    plain_object,
)

PX = 0.75  # CSS px -> PDF pt
FONT_NAMES = {"regular": "OvR", "bold": "OvB"}
QR_NAME = "OvQR"


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
    color: tuple[float, float, float]


def find_slots(document) -> list[Slot]:
    slots: list[Slot] = []
    seen: set[int] = set()

    def walk(box, lang, page_no, page_height):
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
            face = fontsubset.face("bold" if style["font_weight"] >= 600 else "regular")
            ascent, descent = face.ascent * size, face.descent * size
            baseline_px = box.content_box_y() + (line - ascent - descent) / 2 + ascent
            color = style["color"]
            rgb = tuple(getattr(color, "coordinates", (0, 0, 0)))[:3]
            slots.append(Slot(
                name=name, lang=lang, page=page_no, x=box.content_box_x() * PX,
                top=page_height - box.content_box_y() * PX, width=box.width * PX,
                height=box.height * PX, style=face.style, size=size * PX,
                baseline=page_height - baseline_px * PX, color=rgb,
            ))
        for child in getattr(box, "children", ()):
            walk(child, lang, page_no, page_height)

    for number, page in enumerate(document.pages):
        walk(page._page_box, None, number, page.height * PX)
    return slots


class Layout:
    """One kind in one language order, laid out once with empty slots: its constant pages
    and where each personal text goes."""

    def __init__(self, document, pdf: bytes, languages, title: str, qr_prefix: bytes = b""):
        self.languages = tuple(languages)
        self.slots = find_slots(document)
        self.template = Template(pdf)
        self.page_count = len(self.template.pages)
        self.title = title
        # What every QR URL of this layout starts with (see qrfast).
        self.qr_prefix = qr_prefix


@dataclass
class Personal:
    """What one letter prints besides the template: texts per language and slot name, a
    seed for the file identifier (its reference), and the QR code's URL."""

    texts: dict[str, dict[str, str]]
    seed: str
    qr_url: str | None = None


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


def _qr_ops(slot: Slot) -> bytes:
    return b"q 0 0 0 rg %s 0 0 %s %s %s cm /%s Do Q" % (
        _fmt(slot.width), _fmt(slot.height), _fmt(slot.x), _fmt(slot.top - slot.height),
        QR_NAME.encode())


@dataclass
class LetterParts:
    overlays: list[bytes | None]           # one deflated content stream per page
    fonts: dict[str, fontsubset.SubsetFont]  # resource name -> the letter's own subset
    qr: tuple[int, bytes] | None           # the QR image: (size, rows)
    personal: Personal
    variant: Layout


def compose(variant: Layout, personal: Personal) -> LetterParts:
    """The overlay streams and the glyphs one letter needs."""
    overlays: list[list[bytes]] = [[] for _ in range(variant.page_count)]
    used: dict[str, dict[int, str]] = {"regular": {}, "bold": {}}
    texts_by_lang = personal.texts
    qr = qr_image(personal.qr_url, variant.qr_prefix) if personal.qr_url else None
    for slot in variant.slots:
        if slot.name == "qr":
            if qr is not None:
                overlays[slot.page].append(_qr_ops(slot))
            continue
        text = texts_by_lang[slot.lang].get(slot.name)
        if not text:
            continue
        face = fontsubset.face(slot.style)
        gids = face.glyphs(text)
        for gid, char in zip(gids, text, strict=True):
            used[slot.style].setdefault(gid, char)
        r, g, b = slot.color
        overlays[slot.page].append(
            b"q %s %s %s %s re W n %s %s %s rg BT /%s %s Tf 1 0 0 1 %s %s Tm <%s> Tj ET Q" % (
                _fmt(slot.x), _fmt(slot.top - slot.height), _fmt(slot.width),
                _fmt(slot.height), _fmt(r), _fmt(g), _fmt(b),
                FONT_NAMES[slot.style].encode(), _fmt(slot.size), _fmt(slot.x),
                _fmt(slot.baseline), "".join(f"{gid:04x}" for gid in gids).encode()))
    return LetterParts(
        overlays=[zlib.compress(b"\n".join(ops), 6) if ops else None for ops in overlays],
        fonts={FONT_NAMES[style]: _font(style, glyphs) for style, glyphs in used.items()
               if glyphs},
        qr=qr, personal=personal, variant=variant)


# Glyphs every letter may share: the invitation code's alphabet, in any weight.
STOCK = "0123456789ABCDEFGHJKMNPQRSTVWXYZ-"


def _font(style: str, glyphs: dict[int, str]) -> fontsubset.SubsetFont:
    """The letter's own subset; a per-process one when it only prints code characters."""
    if all(c in STOCK for c in glyphs.values()):
        return fontsubset.stock(style, STOCK)
    return fontsubset.SubsetFont(style, glyphs)


class Numbers:
    def __init__(self, start: int):
        self.next = start

    def take(self, count: int = 1) -> int:
        first = self.next
        self.next += count
        return first


def write_parts(writer: Writer, parts: LetterParts, base: int, numbers: Numbers,
                pages_ref: int) -> list[int]:
    """Writes one letter's own objects (fonts, overlays, pages); returns its page numbers."""
    variant = parts.variant
    template = variant.template
    fonts: dict[str, int] = {}
    for name, font in parts.fonts.items():
        first = numbers.take(5)
        type0, objects = font.objects(first)
        for offset, data in enumerate(objects):
            writer.add(first + offset, data)
        fonts[name] = type0
    images = {}
    if parts.qr is not None:
        size, rows = parts.qr
        num = numbers.take()
        writer.add(num, b"%d 0 obj\n<</Type /XObject /Subtype /Image /Width %d /Height %d "
                        b"/ImageMask true /BitsPerComponent 1 /Decode [1 0] /Interpolate false "
                        b"/Length %d>>\nstream\n%s\nendstream\nendobj\n"
                   % (num, size, size, len(rows), rows))
        images[QR_NAME] = num
    page_nums = []
    for index, overlay in enumerate(parts.overlays):
        page = template.pages[index]
        contents = [base + template.q, *(base + c for c in page.contents),
                    base + template.big_q]
        if overlay:
            num = numbers.take()
            writer.add(num, deflated_stream(num, overlay))
            contents.append(num)
        num = numbers.take()
        writer.add(num, plain_object(num, b"<</Type /Page /Parent %d 0 R %s/Resources %s "
                                          b"/Contents [%s]>>" % (
            pages_ref, page.extra, template.resources(index, base, fonts, images),
            b" ".join(b"%d 0 R" % c for c in contents))))
        page_nums.append(num)
    return page_nums


def _close(writer: Writer, numbers: Numbers, pages_ref: int, page_nums: list[int],
           title: str, lang: str, seed: bytes) -> None:
    writer.add(pages_ref, plain_object(pages_ref, b"<</Type /Pages /Count %d /Kids [%s]>>" % (
        len(page_nums), b" ".join(b"%d 0 R" % n for n in page_nums))))
    root, info = numbers.take(), numbers.take()
    writer.add(root, plain_object(root, b"<</Type /Catalog /Pages %d 0 R /Lang %s>>"
                                  % (pages_ref, pdf_string(lang))))
    writer.add(info, plain_object(info, b"<</Title %s /Producer (Dienstjaar portal)>>"
                                  % pdf_string(title)))
    writer.finish(root, info, seed)


def letter_pdf(parts: LetterParts) -> bytes:
    """One recipient's letter as a PDF of its own: the template's objects, then its own."""
    variant = parts.variant
    out = BytesIO()
    writer = Writer(out)
    writer.chunk(*variant.template.chunk(0))
    numbers = Numbers(variant.template.count + 1)
    pages_ref = numbers.take()
    page_nums = write_parts(writer, parts, 0, numbers, pages_ref)
    _close(writer, numbers, pages_ref, page_nums, variant.title, variant.languages[0],
           parts.personal.seed.encode() + secrets.token_bytes(8))
    return out.getvalue()


def batch_pdf(fh, letters: list[LetterParts]) -> None:
    """Many letters in one printable PDF; each variant's template is written once."""
    writer = Writer(fh)
    bases: dict[int, int] = {}
    numbers = Numbers(1)
    pages_ref = numbers.take()
    page_nums: list[int] = []
    for parts in letters:
        template = parts.variant.template
        key = id(template)
        if key not in bases:
            bases[key] = numbers.take(template.count) - 1
            writer.chunk(*template.chunk(bases[key]))
        page_nums += write_parts(writer, parts, bases[key], numbers, pages_ref)
    title = letters[0].variant.title if letters else "letters"
    _close(writer, numbers, pages_ref, page_nums, title, "nl", secrets.token_bytes(8))
