"""The run's fast QR encoder draws exactly the symbol segno makes for the same URL."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.invitations import codes
from portal.letters import qrfast

PREFIX = b"https://dienstjaar.mil.be/start?code="


def _segno_rows(data: bytes) -> list[bytes]:
    return ["".join("1" if c else "0" for c in row).encode()
            for row in qrfast.symbol(data).matrix]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=codes.ALPHABET + "-", min_size=16, max_size=16))
def test_fast_symbols_equal_segno_for_any_code(code):
    encoder = qrfast.encoder(PREFIX, 16)
    assert encoder.rows(code.encode()) == _segno_rows(PREFIX + code.encode())


def test_runs_cover_exactly_the_dark_modules():
    code = codes.generate().encode()
    encoder = qrfast.encoder(PREFIX, len(code))
    dark = {(r, c) for r, row in enumerate(_segno_rows(PREFIX + code))
            for c, cell in enumerate(row) if cell == ord("1")}
    drawn = {(r, c + i) for r, c, n in encoder.runs(code) for i in range(n)}
    assert drawn == dark
