"""The letter fonts: text shaped with HarfBuzz (real advance widths, kerning, Arabic joining)
across a fixed stack of packaged fonts, and subset per letter to the glyphs it prints.

Shaping and subsetting go through uharfbuzz (HarfBuzz's own Python binding). Glyph ids are
kept when subsetting (retain-gids), so a glyph's id in the full font is its CID in the PDF.
A character that no packaged font has raises MissingGlyph: a letter never prints a blank.
"""
from __future__ import annotations

import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

from portal.letters.pdf import upem
from portal.letters.pdf.pdfparts import deflated_stream, plain_object, subset_tag

FONTS = Path(__file__).resolve().parents[2] / "static" / "letters" / "fonts"
# Per weight, the fonts in the order they are tried for each character (letter.css lists
# the same families in the same order).
# The fallbacks after the first font are read only when a text needs them: a run of Latin
# letters never loads the CJK fonts.
STACKS = {
    "regular": ("DejaVuSans.ttf", "NotoSansArabic-Regular.ttf", "DroidSansFallbackFull.ttf",
                "NotoSansCJKkr-Regular-Supplement.ttf"),
    "bold": ("DejaVuSans-Bold.ttf", "NotoSansArabic-Bold.ttf", "DroidSansFallbackFull.ttf",
             "NotoSansCJKkr-Bold-Supplement.ttf"),
}
# PDF base names; those of the template's families match WeasyPrint's naming of them.
POSTSCRIPT = {
    "DejaVuSans.ttf": "Letter-Sans", "DejaVuSans-Bold.ttf": "Letter-Sans-Bold",
    "NotoSansArabic-Regular.ttf": "Letter-Arabic", "NotoSansArabic-Bold.ttf": "Letter-Arabic-Bold",
    "DroidSansFallbackFull.ttf": "Letter-CJK",
    "NotoSansCJKkr-Regular-Supplement.ttf": "Letter-Hangul",
    "NotoSansCJKkr-Bold-Supplement.ttf": "Letter-Hangul-Bold",
}
FEATURES = {"kern": True, "liga": False, "clig": False}
_SUBSET_FLAGS = (hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.RETAIN_GIDS
                 | hb.SubsetFlags.DESUBROUTINIZE)
_DROP = ("GSUB", "GPOS", "GDEF", "kern", "BASE", "JSTF", "DSIG", "LTSH", "PCLT", "VDMX",
         "hdmx", "MATH", "FFTM", "morx", "mort", "feat", "Silf", "Glat", "Gloc")
_DROP_TAGS = [int.from_bytes(tag.encode(), "big") for tag in _DROP]
# A renumbered subset is only ever read through its CIDFont's CIDToGIDMap, by glyph id:
# the tables that map characters or name things are not read there (ISO 32000-1 9.9: a
# CIDFontType2 program needs glyf, head, hhea, hmtx, loca and maxp; `post`, 32 bytes, is
# kept for the font parsers that insist on it).
_COMPACT_DROP_TAGS = _DROP_TAGS + [int.from_bytes(tag.encode(), "big")
                                   for tag in ("cmap", "name", "OS/2", "gasp")]


# The outlines of an archived letter's fonts are drawn on a grid of this many units to the
# em instead of the faces' 2048: a point moves at most 1/512 em (0.007 mm in 10 pt text, a
# sixth of a 600 dpi printer dot), and the outlines take a quarter fewer bytes. Their
# advance widths are the PDF's /W, in thousandths of an em as before: nothing moves.
ARCHIVE_UPEM = 256


class MissingGlyph(ValueError):
    """A character that none of the packaged letter fonts can print."""

    def __init__(self, char: str):
        name = unicodedata.name(char, "unnamed character")
        super().__init__(f"no letter font has U+{ord(char):04X} {name} ({char!r})")
        self.char = char

    def __reduce__(self):  # comes back whole from a render in a child process
        return type(self), (self.char,)


@dataclass
class Face:
    file: str
    data: bytes
    cmap: dict[int, int]        # code point -> glyph id
    advances: list[int]         # glyph id -> advance, in 1/1000 em
    upem: int
    ascent: float               # in em
    descent: float              # in em (positive)
    descriptor: bytes           # FontDescriptor entries, without FontName and FontFile2

    def __post_init__(self):
        self._hb_face = hb.Face(hb.Blob(self.data))
        self._hb_font = hb.Font(self._hb_face)
        # Characters this face prints left to right: most texts need no itemizing at all.
        self.simple = frozenset(chr(cp) for cp in self.cmap
                                if unicodedata.bidirectional(chr(cp)) not in ("R", "AL"))

    @property
    def postscript(self) -> str:
        return POSTSCRIPT[self.file]

    def shape(self, text: str) -> list[tuple[int, int, str]]:
        """(glyph id, advance in 1/1000 em, the text it stands for) in visual order."""
        if not text:
            return []
        buf = hb.Buffer()
        buf.add_codepoints([ord(c) for c in text])
        buf.guess_segment_properties()
        hb.shape(self._hb_font, buf, FEATURES)
        infos, positions = buf.glyph_infos, buf.glyph_positions
        scale = 1000 / self.upem
        if len(infos) == len(text) and all(info.cluster == n for n, info in enumerate(infos)):
            return [(info.codepoint, round(pos.x_advance * scale), char)
                    for info, pos, char in zip(infos, positions, text, strict=True)]
        starts = sorted({info.cluster for info in infos}) + [len(text)]
        following = {start: starts[i + 1] for i, start in enumerate(starts[:-1])}
        out, seen = [], set()
        for info, pos in zip(infos, positions, strict=True):
            cluster = info.cluster
            chars = "" if cluster in seen else text[cluster:following[cluster]]
            seen.add(cluster)
            out.append((info.codepoint, round(pos.x_advance * scale), chars))
        return out

    def subset(self, gids: set[int]) -> bytes:
        face = hb.subset(self._hb_face, self._subset_input(gids, _SUBSET_FLAGS))
        if face is None:
            raise RuntimeError(f"HarfBuzz could not subset {self.file}")
        return face.blob.data

    def compact_subset(self, gids: set[int]) -> tuple[bytes, dict[int, int]]:
        """A subset with its glyphs renumbered 0, 1, 2 ... (no empty slots for the glyphs
        left out) and drawn on the ARCHIVE_UPEM grid, and the new id of each glyph id of
        the face. Kept per set of glyphs: the letters of one kind share most of theirs."""
        return _compact_subset(self.file, frozenset(gids))

    @staticmethod
    def _subset_input(gids: set[int], flags, drop=_DROP_TAGS) -> hb.SubsetInput:
        subset_input = hb.SubsetInput()
        for gid in sorted(gids | {0}):
            subset_input.glyph_set.add(gid)
        for tag in drop:
            subset_input.drop_table_tag_set.add(tag)
        subset_input.flags = flags
        return subset_input


@lru_cache(maxsize=256)
def _compact_subset(file: str, gids: frozenset[int]) -> tuple[bytes, dict[int, int]]:
    face_ = face_file(file)
    plan = hb.SubsetPlan(face_._hb_face, face_._subset_input(
        set(gids), _SUBSET_FLAGS & ~hb.SubsetFlags.RETAIN_GIDS, _COMPACT_DROP_TAGS))
    subset = plan.execute()
    if subset is None:
        raise RuntimeError(f"HarfBuzz could not subset {file}")
    data = subset.blob.data
    program = upem.scaled(data, ARCHIVE_UPEM)
    if program is None and TTFont(BytesIO(data))["head"].unitsPerEm > ARCHIVE_UPEM:
        font = TTFont(BytesIO(data))  # a table upem.scaled does not know: fontTools
        scale_upem(font, ARCHIVE_UPEM)
        out = BytesIO()
        font.save(out, reorderTables=False)
        program = out.getvalue()
    return program or data, dict(plan.old_to_new_glyph_mapping)


@cache
def face_file(file: str) -> Face:
    data = (FONTS / file).read_bytes()
    font = TTFont(BytesIO(data), lazy=True)
    upem = font["head"].unitsPerEm
    scale = 1000 / upem
    hmtx = font["hmtx"]
    advances = [round(hmtx[name][0] * scale) for name in font.getGlyphOrder()]
    hhea, head, os2, post = font["hhea"], font["head"], font["OS/2"], font["post"]
    bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
    bold = "Bold" in file
    descriptor = (
        b"/Flags 32 /FontBBox [%d %d %d %d] /ItalicAngle %d /Ascent %d /Descent %d "
        b"/CapHeight %d /StemV %d " % (
            *bbox, post.italicAngle, round(hhea.ascent * scale), round(hhea.descent * scale),
            round((getattr(os2, "sCapHeight", 0) or hhea.ascent) * scale),
            140 if bold else 80))
    cmap = {cp: font.getGlyphID(name) for cp, name in font.getBestCmap().items()}
    return Face(file=file, data=data, cmap=cmap, advances=advances, upem=upem,
                ascent=hhea.ascent / upem, descent=-hhea.descent / upem,
                descriptor=descriptor)


def face(style: str) -> Face:
    """The main face of a weight (its metrics place the slots' baselines)."""
    return face_file(STACKS[style][0])


def stack(style: str):
    """The faces of a weight in the order they are tried, each read on first need."""
    return (face_file(file) for file in STACKS[style])


def _face_for(char: str, style: str) -> Face | None:
    return next((f for f in stack(style) if ord(char) in f.cmap), None)


def _neutral(char: str) -> bool:
    """Spaces, punctuation and marks stay in the font of the text around them."""
    return unicodedata.category(char)[0] in "ZPMC" or char in "-'"


def covered(text: str) -> None:
    """Raises MissingGlyph for the first character no packaged font has."""
    main = face("regular")
    for char in text:
        if char in main.simple or char.isspace() or unicodedata.category(char) == "Cc":
            continue
        if _face_for(char, "regular") is None:
            raise MissingGlyph(char)


@dataclass
class Run:
    face: Face
    glyphs: list[tuple[int, int, str]]  # (gid, advance 1/1000 em, text)

    @property
    def advance(self) -> int:
        return sum(advance for _gid, advance, _text in self.glyphs)


def _direction(char: str) -> str | None:
    kind = unicodedata.bidirectional(char)
    return "rtl" if kind in ("R", "AL") else "ltr" if kind == "L" else None


def itemize(text: str, style: str) -> list[tuple[Face, str]]:
    """The text cut into pieces each printed with one font of the stack, in one direction.
    Pieces follow each other left to right (names are not mixed-direction text)."""
    pieces: list[list] = []  # [face, text, direction]
    for char in text:
        current = pieces[-1] if pieces else None
        direction = _direction(char)
        if current is not None and _neutral(char) and ord(char) in current[0].cmap:
            chosen = current[0]
        else:
            chosen = _face_for(char, style)
            if chosen is None:
                if char.isspace() and current is not None:
                    chosen = current[0]
                else:
                    raise MissingGlyph(char)
        if (current is not None and current[0] is chosen
                and (direction is None or current[2] in (None, direction))):
            current[1] += char
            current[2] = current[2] or direction
        else:
            pieces.append([chosen, char, direction])
    return [(f, piece) for f, piece in _settled(pieces)]


def _settled(pieces: list[list]) -> list[tuple[Face, str]]:
    """Spaces and punctuation after right-to-left text and before left-to-right text (or
    the line's end) take the line's direction, as the Unicode bidi algorithm resolves them:
    "Bonjour محمد," prints its comma after the name, not before it."""
    out = []
    for face_, text, direction in pieces:
        end = len(text)
        while direction == "rtl" and end and _direction(text[end - 1]) != "rtl":
            end -= 1
        out.append((face_, text[:end]))
        if end < len(text):
            out.append((face_, text[end:]))
    return out


@lru_cache(maxsize=8192)
def shape(text: str, style: str) -> tuple[Run, ...]:
    """The text shaped, piece by piece (cached: a letter measures its address lines, then
    prints them, and prints its reference and code in every language)."""
    main = face(style)
    if main.simple.issuperset(text):  # one font, left to right: no itemizing
        return (Run(main, main.shape(text)),)
    return tuple(Run(f, f.shape(piece)) for f, piece in itemize(text, style))


def width(text: str, style: str, size: float) -> float:
    """The printed width of a line of text, in pt at `size` pt (advances and kerning)."""
    return sum(run.advance for run in shape(text, style)) * size / 1000


# A font's glyph codes one byte long, each code its CID: what a font of at most 256 glyphs
# needs instead of Identity-H's two bytes (ISO 32000-1 9.7.5.3, an embedded CMap; its
# CIDSystemInfo is the CIDFont's, as PDF/A-2 6.2.11.3.1 asks). Its text then takes about a
# tenth fewer bytes compressed.
ONE_BYTE_NAME = "Letter-OneByte-H"
ONE_BYTE = (b"%!PS-Adobe-3.0 Resource-CMap\n/CIDInit /ProcSet findresource begin\n"
            b"12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (Identity) /Supplement 0 >> def\n/CMapName /Letter-OneByte-H def\n"
            b"/CMapType 1 def\n/WMode 0 def\n1 begincodespacerange\n<00> <FF>\n"
            b"endcodespacerange\n1 begincidrange\n<00> <FF> 0\nendcidrange\nendcmap\n"
            b"CMapName currentdict /CMap defineresource pop\nend\nend\n")
ONE_BYTE_DICT = (b"/Type /CMap /CMapName /Letter-OneByte-H /WMode 0 /CIDSystemInfo "
                 b"<</Registry (Adobe) /Ordering (Identity) /Supplement 0>> ")


def _to_unicode(pairs: dict[int, str], width: int = 2) -> bytes:
    """A ToUnicode CMap of glyph codes `width` bytes long (2: Identity-H; 1: ONE_BYTE)."""
    code = b"%02x" if width == 1 else b"%04x"
    lines = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
             b"1 begincodespacerange <%s> <%s> endcodespacerange" % (
                 code % 0, code % (0xFF if width == 1 else 0xFFFF))]
    items = sorted((gid, text) for gid, text in pairs.items() if text)
    # Glyphs that follow each other with characters that follow each other (a font's
    # digits, its letters a-z) as one range; a range stays within one last byte (ISO
    # 32000-1 9.10.3).
    ranges, chars = [], []
    for gid, text in items:
        last = ranges[-1] if ranges else None
        if (last is not None and len(text) == 1 and len(last[2]) == 1 and gid == last[1] + 1
                and gid >> 8 == last[0] >> 8 and ord(text) == ord(last[2]) + gid - last[0]
                and ord(text) < 0x10000):
            last[1] = gid
        else:
            ranges.append([gid, gid, text])
    for low, high, text in ranges:
        if high == low:
            chars.append((low, text))
    spans = [(low, high, text) for low, high, text in ranges if high > low]
    for start in range(0, len(spans), 100):
        block = spans[start:start + 100]
        lines.append(b"%d beginbfrange" % len(block))
        lines.extend(b"<%s> <%s> <%s>" % (code % low, code % high,
                                           text.encode("utf-16-be").hex().encode())
                     for low, high, text in block)
        lines.append(b"endbfrange")
    for start in range(0, len(chars), 100):
        block = chars[start:start + 100]
        lines.append(b"%d beginbfchar" % len(block))
        lines.extend(b"<%s> <%s>" % (code % gid, text.encode("utf-16-be").hex().encode())
                     for gid, text in block)
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)


class SubsetFont:
    """One subset of a face: built once, written into a letter and its batch."""

    def __init__(self, face_: Face, used: dict[int, str]):
        gids = sorted(set(used))
        self.gids = frozenset(gids)
        self.face, self.used = face_, dict(used)
        program = face_.subset(set(gids))
        self.name = f"{subset_tag(program, face_.postscript)}+{face_.postscript}".encode()
        self.descriptor = face_.descriptor
        self.widths = b" ".join(b"%d [%d]" % (g, face_.advances[g]) for g in gids)
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


@cache
def stock(style: str, chars: str) -> SubsetFont:
    """A subset made once per process for texts drawn from a fixed alphabet (the codes)."""
    main = face(style)
    used = {}
    for run in shape(chars, style):
        for gid, _advance, text in run.glyphs:
            used.setdefault(gid, text)
    return SubsetFont(main, used)
