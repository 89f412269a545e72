"""Paper: each language section of a letter to a citizen takes one page, so a bilingual
letter is one duplex sheet (the first language on the front, the second on the back) and
a letter to the German-speaking area two, even with the longest realistic values; a letter
run's print batches then carry next to no blank pages."""
from __future__ import annotations

import pytest
from pypdf import PdfReader

from portal.extensions import db
from portal.letters import render
from portal.letters.models import Letter
from tests.support import factories, letter_specimens

# The statement and the data export are tables of whatever the data holds: as long as it.
CITIZEN_LETTERS = [name for name in letter_specimens.NAMES
                   if name not in ("statement", "data_export")]


@pytest.mark.parametrize("name", CITIZEN_LETTERS)
def test_each_language_section_takes_one_page(app, name):
    pages = {}
    with app.test_request_context():
        for order in letter_specimens.ORDERS:
            document = letter_specimens.layout(app, name, order)
            pages["-".join(order)] = render.section_languages(document)
    assert pages == {"-".join(order): list(order) for order in letter_specimens.ORDERS}


def test_a_letter_run_prints_a_bilingual_invitation_on_one_sheet(app, tmp_path):
    cohort = factories.cohort()
    for postcode in ("9000", "5000", "1000", "4700"):
        factories.person(cohort, postcode=postcode, street="Burgemeester Vandenbogaerdelaan",
                         house_number="1234", box="12B")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    letters = db.session.scalars(db.select(Letter).where(Letter.cohort_id == cohort.id))
    assert sorted((letter.languages, letter.page_count) for letter in letters) == [
        ("de,fr,nl", 3), ("fr,nl", 2), ("fr,nl", 2), ("nl,fr", 2)]
    # Duplex: 3 sheets for the bilingual letters, 2 for the German-area one (one blank back).
    assert sum(len(PdfReader(path).pages) for path in tmp_path.rglob("batch-*.pdf")) == 10
