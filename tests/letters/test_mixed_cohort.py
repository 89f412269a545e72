"""A cohort as the register delivers it: every region, register overrides, very long names
and streets, names in Greek, Cyrillic, Arabic and Chinese. The run prints them all, whole,
in the right languages, in batches a print shop's check accepts; what cannot be printed
fails on its own, with its reason."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from portal.extensions import db
from portal.jobs import Job
from portal.letters.models import Letter, RunItem
from tests.support import factories
from tests.support.letters import pdf_text as raw_text

ROOT = Path(__file__).resolve().parents[2]

PEOPLE = [
    dict(postcode="9000", first_names="Lotte", last_name="Peeters"),
    dict(postcode="5000", first_names="Camille", last_name="Dubois", box="3"),
    dict(postcode="1000", first_names="Yasmine", last_name="El Amrani", box="12"),
    dict(postcode="4700", first_names="Lukas", last_name="Schmitz", box="2"),
    dict(postcode="1000", first_names="Pieter", last_name="Janssens", register_language="nl"),
    dict(postcode="4700", first_names="Anne", last_name="Lejeune", register_language="fr"),
    dict(postcode="1050", first_names="Jean-Baptiste Marie-Xavier Emmanuel Philippe",
         last_name="Van den Bossche-de la Kethulle de Ryhove"),
    dict(postcode="8500", first_names="Ward",
         last_name="Vandenbroucke", street="Burgemeester Edmond Van Den Heuvel-"
         "Vandermeerschlaan-Zuid en Oostelijke Parallelweg", house_number="1234", box="56"),
    dict(postcode="2000", first_names="Αλέξανδρος", last_name="Παπαδόπουλος"),
    dict(postcode="3000", first_names="Анастасия", last_name="Иванова"),
    dict(postcode="1080", first_names="محمد", last_name="العلي"),
    dict(postcode="1000", first_names="小龙", last_name="李"),
]
UNPRINTABLE = [
    # One word wider than the envelope window: no rule can print it whole.
    dict(postcode="9000", first_names="Ann", last_name="Z" * 60),
    # U+20000, a CJK extension B ideograph: no packaged font has it.
    dict(postcode="1000", first_names="Wei", last_name="𠀀"),
]


def pdf_text(pdf: bytes) -> str:
    return raw_text(pdf).replace("\u00a0", " ")


def _cohort():
    cohort = factories.cohort()
    people = [factories.person(cohort, **fields) for fields in PEOPLE]
    bad = [factories.person(cohort, **fields) for fields in UNPRINTABLE]
    db.session.commit()
    return cohort, people, bad


def _run(app, cohort, out):
    return app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(out), "--batch-size", "5"])


def test_a_mixed_cohort_prints_whole_and_passes_the_print_shop_check(app, tmp_path):
    cohort, people, bad = _cohort()
    result = _run(app, cohort, tmp_path)
    assert result.exit_code == 1  # two letters could not be printed
    job = db.session.scalar(db.select(Job))
    assert (job.done, job.failed) == (len(people), len(bad))
    failures = {item.key: item.failure for item in db.session.scalars(
        db.select(RunItem).where(RunItem.failure.is_not(None)))}
    assert "wider than the envelope window" in failures[bad[0].id]
    assert "U+20000" in failures[bad[1].id]

    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "letters_check.py"),
                            str(tmp_path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"{len(people)} letters checked: 0 problem(s)." in check.stdout

    letters = {letter.person_id: letter for letter in db.session.scalars(db.select(Letter))}
    for person in people:
        letter = letters[person.id]
        text = " ".join(pdf_text(letter.pdf).split())
        assert person.last_name.split()[0] in text
        reader = PdfReader(__import__("io").BytesIO(letter.pdf))
        assert reader.trailer["/Root"].get("/StructTreeRoot") is not None
    by_name = {p.last_name: letters[p.id] for p in people}
    assert by_name["Schmitz"].languages == "de,fr,nl"
    assert by_name["Lejeune"].languages == "fr,nl"
    assert by_name["Janssens"].languages == "nl,fr"
    assert by_name["Dubois"].languages == "fr,nl"
    assert "Bfk. 2" in pdf_text(by_name["Schmitz"].pdf)
    assert "bte 3" in pdf_text(by_name["Dubois"].pdf)
    long_name = " ".join(pdf_text(by_name["Van den Bossche-de la Kethulle de Ryhove"].pdf)
                         .split())
    assert "Van den Bossche-de la Kethulle de Ryhove" in long_name.replace("- ", "-")
    street = " ".join(pdf_text(by_name["Vandenbroucke"].pdf).split())
    assert "1234 bus 56" in street
    for name in ("Παπαδόπουλος", "Иванова", "李"):
        assert name in pdf_text(by_name[name].pdf)


def test_titles_name_the_letter_in_the_first_language(app, tmp_path):
    cohort, people, _bad = _cohort()
    _run(app, cohort, tmp_path)
    letters = {letter.person_id: letter for letter in db.session.scalars(db.select(Letter))}
    titles = {p.postcode: str(PdfReader(__import__("io").BytesIO(letters[p.id].pdf))
                              .metadata.title) for p in people[:4]}
    assert titles == {"9000": "Uitnodiging — Militair Dienstjaar",
                      "5000": "Invitation — Année de Service Militaire",
                      "1000": "Invitation — Année de Service Militaire",
                      "4700": "Einladung — Militärisches Dienstjahr"}



def _check_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("letters_check",
                                                  ROOT / "scripts" / "letters_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_full_renders_keep_long_and_non_latin_names_whole_in_the_window(app, tmp_path):
    import pytest

    from portal.invitations.letters import issue_letter
    from portal.letters.services import NotPrintable

    check = _check_module()
    cohort, people, bad = _cohort()
    left, right, top, bottom = (v * check.MM for v in check.WINDOW_MM)
    for person in people[6:]:
        letter, _code = issue_letter(person, cohort, None)
        path = tmp_path / f"{letter.reference}.pdf"
        path.write_bytes(letter.pdf)
        first = check._words(path)[0]
        window = [w for w in first if w[0] >= left - 1 and top <= w[1] and w[3] <= bottom]
        assert window and all(w[2] <= right for w in window), window
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        if person.last_name == "李":
            assert "Letter-CJK" in fonts
            assert "李" in pdf_text(letter.pdf)
    with pytest.raises(NotPrintable, match="U\\+20000"):
        issue_letter(bad[1], cohort, None)


def test_personal_texts_print_in_black_ink_only(app, tmp_path):
    from io import BytesIO

    cohort, people, _bad = _cohort()
    _run(app, cohort, tmp_path)
    letter = db.session.scalar(db.select(Letter))
    page = PdfReader(BytesIO(letter.pdf)).pages[0]
    # Black ink only: DeviceGray (a printer puts it on K; PDF/A allows it with the sRGB
    # intent), never a colour mixed from inks, in the letter's own texts and its layout.
    overlay = page.raw_get("/Contents")[-1].get_object().get_data()
    assert b" 0 g " in overlay and b" rg " not in overlay and b" k " not in overlay
    template = page.raw_get("/Contents")[1].get_object().get_data()
    assert b"\n0 g\n" in template
    assert b"DeviceCMYK" not in template and b" scn" not in template
