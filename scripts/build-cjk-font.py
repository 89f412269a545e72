"""Builds the packaged Korean and rare-ideograph letter fonts from Debian's fonts-noto-cjk.

Droid Sans Fallback prints the common CJK ideographs (U+4E00-U+9FA5) and kana; this adds
what it lacks: Hangul, CJK extension A and the rest of the unified block, the compatibility
ideographs and the extension B ideographs Noto Sans CJK has. The Korean face of the
collection is subset to those characters and its CFF outlines converted to TrueType, so the
letter runs embed it as they embed every other letter font (CIDFontType2).

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb deb
    python scripts/build-cjk-font.py deb/usr/share/fonts/opentype/noto portal/static/letters/fonts
"""
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

KOREAN_FACE = 1  # Noto Sans CJK KR in NotoSansCJK-*.ttc
RANGES = [
    (0x0020, 0x007E),    # ASCII: spaces and punctuation stay in the font of the text around
    (0x00A0, 0x00A0),    # them, in names and in WeasyPrint's runs alike
    (0x1100, 0x11FF),    # Hangul Jamo
    (0x3000, 0x303F),    # CJK symbols and punctuation (the ideographic space)
    (0x3130, 0x318F),    # Hangul compatibility Jamo
    (0x3400, 0x4DBF),    # CJK unified ideographs extension A
    (0x9FA6, 0x9FFF),    # the end of the unified block (Droid stops at U+9FA5)
    (0xA960, 0xA97F),    # Hangul Jamo extended A
    (0xAC00, 0xD7A3),    # Hangul syllables
    (0xD7B0, 0xD7FF),    # Hangul Jamo extended B
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0xFFA0, 0xFFDC),    # halfwidth Hangul
    (0x20000, 0x2A6DF),  # CJK unified ideographs extension B
    (0x2F800, 0x2FA1F),  # CJK compatibility ideographs supplement
]
MAX_ERROR = 1.0  # font units (of 1000): the quadratic curves stay within this of the cubic ones


def to_truetype(font):
    """CFF outlines to glyf outlines (the fontTools otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font["maxp"] = newTable("maxp")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0


def build(source: Path, target: Path, weight: str) -> Path:
    font = TTCollection(source / f"NotoSansCJK-{weight}.ttc").fonts[KOREAN_FACE]
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for start, end in RANGES for cp in range(start, end + 1)])
    subsetter.subset(font)
    to_truetype(font)
    out = target / f"NotoSansCJKkr-{weight}-Supplement.ttf"
    font.save(out)
    return out


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    for weight in ("Regular", "Bold"):
        print(build(source, target, weight))
