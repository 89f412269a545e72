"""Importing a register extract into a cohort: checks, report, idempotence, atomicity."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, text

from portal import i18n
from portal.extensions import db
from portal.invitations import importer
from portal.invitations.models import CohortImport, Person
from portal.invitations.sample import csv_bytes
from tests.support import factories
from tests.support.factories import national_number


def _row(number, birth="17/05/2008", postcode="9000", municipality="Gent", language="",
         last="Peeters", first="Lotte", street="Veldstraat", house="12", box=""):
    return [number, last, first, birth, street, house, box, postcode, municipality, language]


def _cohort(**fields):
    values = dict(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    values.update(fields)
    return factories.cohort(**values)


def _persons() -> int:
    return db.session.scalar(db.select(func.count()).select_from(Person))


def _errors(record):
    return {(e.row, e.field, e.reason) for e in importer.report_errors(record)}


GOOD_2008 = national_number(date(2008, 5, 17), 123)


def test_good_and_bad_rows_are_reported_row_by_row(app):
    cohort = _cohort()
    rows = [
        _row(GOOD_2008),                                                     # row 2: good
        _row(national_number(date(2008, 2, 3), 2), birth="03/02/2008", postcode="4700",
             municipality="Eupen", last="Schmitz"),                         # row 3: good
        _row("08051712345"),                                                 # row 4: checksum
        _row(national_number(date(2008, 6, 1), 5), birth="02/06/2008"),      # row 5: nn vs birth
        _row(national_number(date(2007, 3, 1), 7), birth="01/03/2007"),      # row 6: outside
        _row(national_number(date(2008, 7, 1), 9), birth="01/07/2008", postcode="1001"),  # 7
        _row(national_number(date(2008, 8, 1), 11), birth="01/08/2008", last="X" * 101),  # 8
        _row(national_number(date(2008, 9, 1), 13), birth="01/09/2008", first=""),        # 9
        _row(national_number(date(2008, 9, 2), 15), birth="2008-09-02", language="en"),   # 10
        _row(GOOD_2008),                                                     # row 11: twice
        _row(national_number(date(2008, 9, 3), 17), birth="31/02/2008"),     # row 12: no date
    ]
    record = importer.import_csv(cohort, csv_bytes(rows), actor=None, filename="extract.csv")
    db.session.commit()

    assert (record.rows, record.created, record.existing, record.rejected) == (11, 2, 0, 9)
    assert _errors(record) == {
        (4, "national_number", "nn_checksum"),
        (5, "national_number", "nn_birth_date"),
        (6, "birth_date", "outside_cohort"),
        (7, "postcode", "postcode"),
        (8, "last_name", "too_long"),
        (9, "first_names", "required"),
        (10, "language", "language"),
        (11, "national_number", "duplicate"),
        (12, "birth_date", "date_format"),
    }
    assert _persons() == 2
    eupen = db.session.scalar(db.select(Person).where(Person.postcode == "4700"))
    assert (eupen.region, eupen.language, eupen.nis_code) == ("german", "de", "63023")
    assert eupen.national_number is not None and len(eupen.nn_hash) == 64
    with i18n.locale("fr"):
        report = "".join(importer.errors_csv(record))
    assert report.startswith("\ufeffLigne;Champ;Raison\r\n4;Numéro de registre national;")
    assert "11;Numéro de registre national;Le même numéro de registre national figure déjà à " \
        "la ligne 2." in report


def test_reimporting_the_same_file_changes_nothing(app):
    cohort = _cohort()
    data = csv_bytes([_row(GOOD_2008), _row(national_number(date(2008, 1, 2), 4),
                                            birth="02/01/2008")])
    importer.import_csv(cohort, data, actor=None)
    db.session.commit()
    again = importer.import_csv(cohort, data, actor=None)
    db.session.commit()
    assert (again.created, again.existing, again.rejected) == (0, 2, 0)
    assert _persons() == 2


@pytest.mark.parametrize(("delimiter", "bom"), [(";", True), (";", False), (",", True),
                                                (",", False)])
def test_semicolons_commas_with_or_without_bom(app, delimiter, bom):
    cohort = _cohort()
    data = csv_bytes([_row(GOOD_2008, street="Rue de la Paix, Haut", postcode="1000",
                           municipality="Bruxelles", language="NL")],
                     delimiter=delimiter, bom=bom)
    record = importer.import_csv(cohort, data, actor=None)
    assert (record.created, record.rejected) == (1, 0)
    person = db.session.scalar(db.select(Person))
    assert person.street == "Rue de la Paix, Haut"
    assert (person.register_language, person.language, person.region) == ("nl", "nl", "brussels")


def test_register_numbers_before_and_after_2000(app):
    cohort = _cohort(born_from=date(1999, 1, 1), born_to=date(2000, 12, 31))
    before = national_number(date(1999, 12, 31), 41)
    after = national_number(date(2000, 1, 1), 42)
    record = importer.import_csv(cohort, csv_bytes([
        _row(before, birth="31/12/1999"), _row(after, birth="01/01/2000"),
        # The 2000 number read as a 1900 one does not match: its check digits differ.
        _row(after[:9] + before[9:], birth="01/01/2000"),
    ]), actor=None)
    assert (record.created, record.rejected) == (2, 1)
    sexes = set(db.session.scalars(db.select(Person.sex)))
    assert sexes == {"M", "F"}


def test_an_import_failing_midway_leaves_nothing(app):
    cohort = _cohort()
    db.session.commit()
    rows = [_row(national_number(date(2008, 3, d), 1), birth=f"{d:02d}/03/2008",
                 last="Boom" if d == 9 else "Peeters") for d in range(1, 11)]
    dialect = db.engine.dialect.name
    with db.engine.begin() as conn:  # a database that refuses row 9, as a constraint would
        if dialect == "postgresql":
            conn.execute(text("CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN "
                              "RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER refuse_boom BEFORE INSERT ON persons FOR EACH ROW "
                              "WHEN (NEW.last_name = 'Boom') EXECUTE FUNCTION refuse_boom()"))
        else:
            conn.execute(text("CREATE TRIGGER refuse_boom BEFORE INSERT ON persons "
                              "WHEN NEW.last_name = 'Boom' BEGIN SELECT RAISE(ABORT, 'refused'); "
                              "END"))
    try:
        with pytest.raises(Exception, match="refused"):
            importer.import_csv(cohort, csv_bytes(rows), actor=None, chunk_size=3)
        db.session.rollback()
        assert _persons() == 0
        assert db.session.scalar(db.select(func.count()).select_from(CohortImport)) == 0
    finally:
        db.session.rollback()  # release the session's locks before changing the table
        with db.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER refuse_boom" + (" ON persons"
                                                            if dialect == "postgresql" else "")))
            if dialect == "postgresql":
                conn.execute(text("DROP FUNCTION refuse_boom()"))


def test_a_file_that_is_not_utf8_is_refused_whole(app):
    cohort = _cohort()
    data = "rijksregisternummer;naam\n08051712345;Müller\n".encode("latin-1")
    with pytest.raises(importer.ImportFileError) as exc:
        importer.import_csv(cohort, data, actor=None)
    assert exc.value.reason == "encoding"
    assert _persons() == 0


def test_a_person_already_in_another_cohort_is_not_imported_again(app):
    first = _cohort()
    second = _cohort(born_from=date(2008, 1, 1), born_to=date(2009, 12, 31))
    importer.import_csv(first, csv_bytes([_row(GOOD_2008)]), actor=None)
    record = importer.import_csv(second, csv_bytes([_row(GOOD_2008)]), actor=None)
    assert (record.created, record.existing) == (0, 1)


def test_cli_creates_a_cohort_and_imports_a_file(app, tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(csv_bytes([_row(GOOD_2008), _row("123")]))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["invitations", "cohort", "Born 2008", "--born-from",
                                 "2008-01-01", "--born-to", "2008-12-31", "--expires",
                                 "2027-06-30"])
    assert result.exit_code == 0, result.output
    assert "Born 2008" in result.output
    result = runner.invoke(args=["invitations", "import", str(path), "--cohort", "Born 2008"])
    assert result.exit_code == 0, result.output
    assert "2 rows: 1 new persons, 0 already imported, 1 rejected." in result.output
    assert "row 3: National register number" in result.output
    result = runner.invoke(args=["invitations", "import", str(path), "--cohort", "Born 2008"])
    assert "0 new persons, 1 already imported" in result.output
    assert "Nothing changed." in result.output
    result = runner.invoke(args=["invitations", "import", str(path), "--cohort", "Nope"])
    assert result.exit_code != 0 and "no cohort named 'Nope'" in result.output


def test_a_file_with_only_a_header_is_refused_whole(app):
    cohort = _cohort()
    with pytest.raises(importer.ImportFileError) as exc:
        importer.import_csv(cohort, csv_bytes([]), actor=None)
    assert exc.value.reason == "empty"


def test_a_row_with_too_many_columns_is_reported_and_trailing_empty_cells_are_ignored(app):
    cohort = _cohort()
    rows = [_row(GOOD_2008) + ["", "", ""],
            _row(national_number(date(2008, 1, 2), 4), birth="02/01/2008") + ["extra"]]
    record = importer.import_csv(cohort, csv_bytes(rows), actor=None)
    assert record.created == 1
    assert _errors(record) == {(3, "row", "columns")}
    with i18n.locale("de"):
        assert importer.reason_text("columns", {"count": 11}) == \
            "9 oder 10 Spalten erwartet, 11 gefunden."


def test_the_import_is_audited_without_register_numbers(app):
    from portal.audit import AuditEvent

    cohort = _cohort()
    importer.import_csv(cohort, csv_bytes([_row(GOOD_2008)]), actor=None)
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "invitations.cohort_imported"))
    assert event.details_dict["created"] == 1
    assert GOOD_2008 not in event.details


def test_imported_rows_read_back_like_any_other_record(app):
    from datetime import UTC, datetime, timedelta

    cohort = _cohort()
    before = datetime.now(UTC)
    importer.import_csv(cohort, csv_bytes([_row(GOOD_2008, box="B2", language="fr")]),
                        actor=None)
    db.session.commit()
    db.session.expire_all()
    person = db.session.scalar(db.select(Person))
    assert person.birth_date == date(2008, 5, 17)
    assert person.created_at.tzinfo is not None
    assert before - timedelta(seconds=5) <= person.created_at <= datetime.now(UTC)
    assert (person.box, person.register_language, person.sex) == ("B2", "fr", "M")
    assert person.cohort_id == cohort.id and person.nn_hash and person.id


def test_imported_names_lose_control_and_direction_override_characters(app):
    cohort = _cohort()
    rows = [_row(GOOD_2008, last="Pee\x00ters\u202e", first="Lot\tte\u2067",
                 street="Veld\x1bstraat")]
    importer.import_csv(cohort, csv_bytes(rows), actor=None)
    db.session.commit()
    person = db.session.scalar(db.select(Person))
    assert (person.last_name, person.first_names, person.street) == (
        "Peeters", "Lot te", "Veldstraat")


def _bad_rows(count):
    # Born outside the cohort: every row is rejected with one problem.
    return [_row(national_number(date(2001, 1, 1 + n % 28), n % 997 + 1),
                 birth=f"{1 + n % 28:02d}/01/2001") for n in range(count)]


def test_a_report_keeps_the_first_problems_as_rows_and_counts_the_rest(app):
    cohort = _cohort()
    record = importer.import_csv(cohort, csv_bytes(_bad_rows(1200)), actor=None)
    db.session.commit()
    assert (record.rows, record.rejected, record.problems) == (1200, 1200, 1200)
    assert importer.kept_errors(record) == importer.MAX_ERRORS_KEPT == 1000
    assert [e.row for e in importer.report_errors(record)[990:]] == list(range(992, 1002))
    with i18n.locale("en"):
        report = "".join(importer.errors_csv(record)).splitlines()
    assert len(report) == 1 + 1000 + 1 and "200 more problems" in report[-1]


def test_an_import_reads_the_file_as_a_stream_in_flat_memory(app):
    """Memory does not grow with the file: 40,000 rejected rows (the worst case: every row
    a problem) cost about what 4,000 do."""
    import io
    import tracemalloc

    def peak(count):
        cohort = _cohort()
        data = csv_bytes(_bad_rows(count))
        tracemalloc.start()
        try:
            importer.import_csv(cohort, io.BytesIO(data), actor=None)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            db.session.rollback()

    small, large = peak(4_000), peak(40_000)
    assert large < 2 * small + 2_000_000, (small, large)
