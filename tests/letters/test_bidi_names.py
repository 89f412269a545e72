"""A name written right to left in a greeting of a left-to-right letter: its comma (and a
bracket or space after it) stays after the name, as the full render and the Unicode bidi
algorithm put it, in the run's own line drawing too."""
from __future__ import annotations

import pytest

from portal.letters.pdf import fonts


def _visual(text: str) -> list[str]:
    """The pieces of the line as drawn, left to right, each in its glyphs' order."""
    return ["".join(glyph[2] for glyph in run.glyphs) for run in fonts.shape(text, "regular")]


@pytest.mark.parametrize(("text", "drawn"), [
    ("Bonjour محمد,", ["Bonjour ", "دمحم", ","]),
    ("Beste محمد علي,", ["Beste ", "يلع دمحم", ","]),
    ("Dear محمد (Mo),", ["Dear ", "دمحم", " (", "Mo),"]),
    ("Hallo שרה,", ["Hallo ", "הרש", ","]),
])
def test_punctuation_after_a_right_to_left_name_is_drawn_after_it(app, text, drawn):
    assert _visual(text) == drawn


def test_left_to_right_names_are_drawn_as_one_piece(app):
    assert _visual("Bonjour Zoë,") == ["Bonjour Zoë,"]
