"""The run's fast QR encoder draws exactly the symbol segno makes for the same URL."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.invitations import codes
from portal.letters.pdf import qrfast

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


def test_a_run_letter_carries_the_symbol_of_its_own_sign_up_url(app):
    from datetime import date
    from io import BytesIO

    from pypdf import PdfReader

    from portal.invitations import letters as invitation
    from portal.letters import services
    from portal.letters.pdf import archive, vdp
    from portal.letters.variants import Variant
    from tests.support import factories

    cohort = factories.cohort(expires_on=date(2030, 1, 1))
    variant = Variant("invitation", ("nl", "fr"), invitation.context(cohort))
    code = codes.generate()
    recipient = services.Recipient(name="Ann Smet", address_lines=("Kerkstraat 1", "9000 Gent"),
                                   postcode="9000", first_name="Ann")
    pdf = archive.letter_pdf(variant.compose(recipient, "INV-1", {"code": code},
                                         invitation.signup_url(code)))
    reader = PdfReader(BytesIO(pdf))
    image = reader.pages[0]["/Resources"]["/XObject"]["/" + vdp.QR_NAME].get_object()
    n = image["/Width"]
    width = (n + 7) // 8
    data = image.get_data()
    rows = [format(int.from_bytes(data[r * width:(r + 1) * width], "big"), f"0{width * 8}b")
            [:n].encode() for r in range(n)]
    assert rows == _segno_rows(invitation.signup_url(code).encode())
    shared = {page["/Resources"]["/XObject"].raw_get("/" + vdp.QR_NAME).idnum
              for page in reader.pages}
    assert len(shared) == 1  # one image, drawn on every page that has a QR slot
