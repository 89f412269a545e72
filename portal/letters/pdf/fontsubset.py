"""The letter fonts as PDF objects, subset per letter to the glyphs that letter prints.

Subsetting goes through HarfBuzz (Debian's libharfbuzz-subset0, the library WeasyPrint
uses): a few hundred microseconds for a name and an address. Glyph ids are kept
(retain-gids), so a character's id in the full font is its CID in the PDF.
"""
from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from cffi import FFI

from portal.letters.pdf.pdfparts import deflated_stream, plain_object

FONTS = Path(__file__).resolve().parents[2] / "static" / "letters" / "fonts"
FACES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
# The PDF names of the template's family (WeasyPrint names it after the @font-face family).
POSTSCRIPT = {"regular": "Letter-Sans", "bold": "Letter-Sans-Bold"}

_ffi = FFI()
_ffi.cdef("""
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef void (*hb_destroy_func_t) (void *user_data);
hb_blob_t *hb_blob_create (const char *data, unsigned int length, int mode,
                           void *user_data, hb_destroy_func_t destroy);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_set_add (hb_set_t *set, uint32_t codepoint);
uint32_t hb_tag_from_string (const char *str, int len);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set (hb_subset_input_t *input);
hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
""")
_MODE_READONLY = 1
_FLAGS = 0x1 | 0x2 | 0x4  # no hinting, retain glyph ids, desubroutinize
_SETS_DROP_TABLE_TAG = 3
_DROP = (b"GSUB", b"GPOS", b"GDEF", b"kern", b"BASE", b"JSTF", b"DSIG", b"LTSH", b"PCLT",
         b"VDMX", b"hdmx", b"MATH", b"FFTM")


@cache
def _libs():
    return _ffi.dlopen("libharfbuzz.so.0"), _ffi.dlopen("libharfbuzz-subset.so.0")


@dataclass
class Face:
    style: str
    data: bytes
    cmap: dict[int, int]        # code point -> glyph id
    advances: list[int]         # glyph id -> advance, in 1/1000 em
    ascent: float               # in em
    descent: float              # in em (positive)
    descriptor: bytes           # FontDescriptor entries, without FontName and FontFile2

    def __post_init__(self):
        hb, _hbs = _libs()
        self._buffer = _ffi.from_buffer(self.data)
        blob = hb.hb_blob_create(self._buffer, len(self.data), _MODE_READONLY, _ffi.NULL,
                                 _ffi.NULL)
        self._face = _ffi.gc(hb.hb_face_create(blob, 0), hb.hb_face_destroy)
        hb.hb_blob_destroy(blob)
        self._drop = [hb.hb_tag_from_string(tag, 4) for tag in _DROP]

    def glyphs(self, text: str) -> list[int]:
        return [self.cmap.get(ord(c), 0) for c in text]

    def width(self, text: str, size: float) -> float:
        return sum(self.advances[g] for g in self.glyphs(text)) * size / 1000

    def subset(self, gids: set[int]) -> bytes:
        hb, hbs = _libs()
        subset_input = _ffi.gc(hbs.hb_subset_input_create_or_fail(),
                               hbs.hb_subset_input_destroy)
        glyph_set = hbs.hb_subset_input_glyph_set(subset_input)
        for gid in sorted(gids | {0}):
            hb.hb_set_add(glyph_set, gid)
        drop = hbs.hb_subset_input_set(subset_input, _SETS_DROP_TABLE_TAG)
        for tag in self._drop:
            hb.hb_set_add(drop, tag)
        hbs.hb_subset_input_set_flags(subset_input, _FLAGS)
        face = hbs.hb_subset_or_fail(self._face, subset_input)
        if face == _ffi.NULL:
            raise RuntimeError(f"HarfBuzz could not subset {FACES[self.style]}")
        blob = hb.hb_face_reference_blob(face)
        try:
            length = _ffi.new("unsigned int *")
            data = hb.hb_blob_get_data(blob, length)
            return bytes(_ffi.buffer(data, length[0]))
        finally:
            hb.hb_blob_destroy(blob)
            hb.hb_face_destroy(face)


@cache
def face(style: str) -> Face:
    from fontTools.ttLib import TTFont

    data = (FONTS / FACES[style]).read_bytes()
    font = TTFont(BytesIO(data), lazy=True)
    upem = font["head"].unitsPerEm
    scale = 1000 / upem
    order = font.getGlyphOrder()
    hmtx = font["hmtx"]
    advances = [round(hmtx[name][0] * scale) for name in order]
    hhea, head, os2, post = font["hhea"], font["head"], font["OS/2"], font["post"]
    bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
    descriptor = (
        b"/Flags 32 /FontBBox [%d %d %d %d] /ItalicAngle %d /Ascent %d /Descent %d "
        b"/CapHeight %d /StemV %d " % (
            *bbox, post.italicAngle, round(hhea.ascent * scale), round(hhea.descent * scale),
            round(getattr(os2, "sCapHeight", hhea.ascent) * scale), 80 if style == "regular"
            else 140))
    cmap = {cp: font.getGlyphID(name) for cp, name in font.getBestCmap().items()}
    return Face(style=style, data=data, cmap=cmap, advances=advances,
                ascent=hhea.ascent / upem, descent=-hhea.descent / upem, descriptor=descriptor)


def _to_unicode(pairs: dict[int, str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
             b"1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    items = sorted(pairs.items())
    for start in range(0, len(items), 100):
        block = items[start:start + 100]
        lines.append(b"%d beginbfchar" % len(block))
        lines.extend(b"<%04x> <%s>" % (gid, text.encode("utf-16-be").hex().encode())
                     for gid, text in block)
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)


@cache
def stock(style: str, chars: str) -> SubsetFont:
    """A subset made once per process for texts drawn from a fixed alphabet (the codes)."""
    f = face(style)
    return SubsetFont(style, {gid: c for gid, c in zip(f.glyphs(chars), chars, strict=True)})


class SubsetFont:
    """One letter's subset of a face: built once, written into the letter and its batch."""

    def __init__(self, style: str, used: dict[int, str]):
        f = face(style)
        gids = sorted(set(used))
        program = f.subset(set(gids))
        tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(repr(gids).encode()).digest()[:6])
        self.name = f"{tag}+{POSTSCRIPT[style]}".encode()
        self.descriptor = f.descriptor
        self.widths = b" ".join(b"%d [%d]" % (g, f.advances[g]) for g in gids)
        self.program = zlib.compress(program, 6)
        self.length1 = len(program)
        self.to_unicode = zlib.compress(_to_unicode(used), 6)

    def objects(self, first: int) -> tuple[int, list[bytes]]:
        """The five objects of the Type0 font, numbered from `first`; and its number."""
        type0, cid, descriptor, file2, to_unicode = range(first, first + 5)
        name = self.name
        return type0, [
            plain_object(type0, b"<</Type /Font /Subtype /Type0 /BaseFont /%s "
                                b"/Encoding /Identity-H /DescendantFonts [%d 0 R] "
                                b"/ToUnicode %d 0 R>>" % (name, cid, to_unicode)),
            plain_object(cid, b"<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
                              b"/CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) "
                              b"/Supplement 0>> /FontDescriptor %d 0 R /W [%s] "
                              b"/CIDToGIDMap /Identity>>" % (name, descriptor, self.widths)),
            plain_object(descriptor, b"<</Type /FontDescriptor /FontName /%s %s"
                                     b"/FontFile2 %d 0 R>>" % (name, self.descriptor, file2)),
            deflated_stream(file2, self.program, b"/Length1 %d " % self.length1),
            deflated_stream(to_unicode, self.to_unicode),
        ]
