"""The letter fonts drawn on the archive's coarser grid (fonts.ARCHIVE_UPEM) print every
glyph as fontTools' own scaling draws it: the same points, on and off the curve, the same
components and advance widths, in every packaged face a letter may embed."""
from __future__ import annotations

from io import BytesIO

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

from portal.letters.pdf import fonts, upem


def _subset(face: fonts.Face, text: str) -> bytes:
    style = "bold" if "Bold" in face.file else "regular"
    gids = {gid for run in fonts.shape(text, style) for gid, _a, _t in run.glyphs
            if run.face is face} | {gid for gid in range(1, 40)}
    plan = hb.SubsetPlan(face._hb_face, face._subset_input(
        gids, fonts._SUBSET_FLAGS & ~hb.SubsetFlags.RETAIN_GIDS, fonts._COMPACT_DROP_TAGS))
    return plan.execute().blob.data


TEXT = "Àéëïöüßçñ ŁŻÓŚĆ Ős Ærø محمد 李小龙 한국 0123456789 «»—’"


@pytest.mark.parametrize("file", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                                  "NotoSansArabic-Regular.ttf"])
def test_every_glyph_keeps_its_shape_on_the_coarser_grid(file):
    face = fonts.face_file(file)
    data = _subset(face, TEXT)
    mine = TTFont(BytesIO(upem.scaled(data, fonts.ARCHIVE_UPEM)))
    reference = TTFont(BytesIO(data))
    scale_upem(reference, fonts.ARCHIVE_UPEM)
    assert mine["head"].unitsPerEm == fonts.ARCHIVE_UPEM
    assert mine["hmtx"].metrics == reference["hmtx"].metrics
    composites = 0
    for name in reference.getGlyphOrder():
        ours, theirs = mine["glyf"][name], reference["glyf"][name]
        assert ours.numberOfContours == theirs.numberOfContours, name
        if theirs.isComposite():
            composites += 1
            assert [(c.glyphName, c.x, c.y) for c in ours.components] == [
                (c.glyphName, c.x, c.y) for c in theirs.components], name
        elif theirs.numberOfContours > 0:
            assert list(ours.coordinates) == list(theirs.coordinates), name
            assert [f & 1 for f in ours.flags] == [f & 1 for f in theirs.flags], name
            assert ours.endPtsOfContours == theirs.endPtsOfContours, name
    if file.startswith("DejaVu"):
        assert composites  # À, é ... are built of components in DejaVu


@pytest.mark.parametrize("file", sorted(fonts.POSTSCRIPT))
def test_every_packaged_face_is_embedded_on_the_coarser_grid(file):
    """Whichever way (upem.scaled, fontTools for the tables it does not know, or none for
    a face as coarse already), a subset keeps its glyphs on at most ARCHIVE_UPEM units."""
    face = fonts.face_file(file)
    gids = {gid for run in fonts.shape(TEXT, "bold" if "Bold" in file else "regular")
            for gid, _a, _t in run.glyphs if run.face is face} | {1, 2, 3}
    program, new_ids = face.compact_subset(gids)
    font = TTFont(BytesIO(program))
    assert font["head"].unitsPerEm <= fonts.ARCHIVE_UPEM
    assert font["maxp"].numGlyphs == len(new_ids) >= len(gids)
