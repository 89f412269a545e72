"""Imports a National Register extract (CSV) into a cohort, with a row-by-row report.

Used by `flask invitations import` and by the admin upload page. The file is read as
Belgian spreadsheets write it: UTF-8 with or without BOM, `;` or `,` between fields, an
optional header row. Columns, in this order: national register number, last name, first
names, birth date, street, house number, box, postcode, municipality, language (optional).

Every row is checked in memory; the good ones are inserted in chunks (one query to find the
persons already known per chunk, then a bulk INSERT ... ON CONFLICT DO NOTHING: COPY through
a temporary table on PostgreSQL, one driver-level executemany on SQLite), never one query
per row. The whole import is one transaction, committed by the caller: an import that
fails half-way (a database error, a killed process) leaves no row behind.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date
from operator import itemgetter
from typing import BinaryIO

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from stdnum.be import nn as stdnn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from portal import audit, csvsafe, regions, textclean
from portal.extensions import db
from portal.invitations.models import Cohort, CohortImport, CohortImportError, Person
from portal.invitations.services import nn_hasher
from portal.models import utcnow

CHUNK_SIZE = 5000
# Problems kept as report rows per import; any beyond are counted (CohortImport.problems).
MAX_ERRORS_KEPT = 1000

# Columns of the file, in order, with the longest value each may hold.
COLUMNS = (
    ("national_number", 11), ("last_name", 100), ("first_names", 150), ("birth_date", 10),
    ("street", 120), ("house_number", 12), ("box", 12), ("postcode", 4),
    ("municipality", 80), ("language", 2),
)
REQUIRED = {"national_number", "last_name", "first_names", "birth_date", "street",
            "house_number", "postcode", "municipality"}
# Day first, as Belgian spreadsheets write dates: 17/05/2008, 17-05-2008, 17.05.2008.
DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")

FIELD_LABELS = {
    "row": _l("Row"),
    "national_number": _l("National register number"),
    "last_name": _l("Last name"),
    "first_names": _l("First names"),
    "birth_date": _l("Birth date"),
    "street": _l("Street"),
    "house_number": _l("House number"),
    "box": _l("Box"),
    "postcode": _l("Postcode"),
    "municipality": _l("Municipality"),
    "language": _l("Language"),
}

# Reason codes kept in a report, and the sentence each stands for.
REASONS = {
    "columns": _l("Expected 9 or 10 columns, found %(count)s."),
    "required": _l("This field is required."),
    "too_long": _l("Longer than %(max)s characters."),
    "nn_format": _l("A national register number has 11 digits."),
    "nn_checksum": _l("Not a valid national register number: the check digits do not match."),
    "nn_invalid": _l("Not a valid national register number."),
    "nn_birth_date": _l("The national register number does not match the birth date."),
    "date_format": _l("Not a date: write it as DD/MM/YYYY or YYYY-MM-DD."),
    "outside_cohort": _l("Born outside this cohort (%(start)s to %(end)s)."),
    "postcode": _l("Not a Belgian postcode known to the region table."),
    "language": _l("The language must be nl, fr or de."),
    "duplicate": _l("The same national register number is already on row %(row)s."),
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; `reason` is one of FILE_ERRORS."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


FILE_ERRORS = {
    "encoding": _l("The file is not UTF-8 text. Save it from your spreadsheet as "
                   "“CSV UTF-8” and try again."),
    "empty": _l("The file has no rows to import."),
    "malformed": _l("The file cannot be read as CSV: a field is too long or a quotation "
                    "mark is not closed."),
}


@dataclass
class RowError:
    row: int
    field: str
    reason: str
    params: dict = field(default_factory=dict)

    def as_list(self) -> list:
        return [self.row, self.field, self.reason, self.params]


# Parameters stored as dates (ISO, in the report's JSON), shown in the reader's form.
DATE_PARAMS = ("start", "end")


def reason_text(reason: str, params: dict) -> str:
    if not params:
        return str(REASONS[reason])
    shown = {k: format_date(date.fromisoformat(v), "medium") if k in DATE_PARAMS else v
             for k, v in params.items()}
    return str(REASONS[reason]) % shown


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def _text(source: bytes | BinaryIO) -> io.TextIOWrapper:
    """The file as a text stream (never the whole file in memory); detach it after use."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def _lines(text: io.TextIOWrapper):
    # A for loop, not `yield from`: closing this generator must not close the stream.
    try:
        for line in text:  # noqa: UP028
            yield line
    except UnicodeDecodeError as exc:
        raise ImportFileError("encoding") from exc


def read_rows(lines):
    """(row number as a spreadsheet shows it, cells) for every non-blank data row of an
    iterable of text lines."""
    lines = iter(lines)
    first_line = next(lines, "")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = _checked(csv.reader(itertools.chain([first_line], lines), delimiter=delimiter))
    for number, cells in enumerate(reader, start=1):
        cells = [textclean.line(c).strip() for c in cells]
        while len(cells) > len(COLUMNS) and cells[-1] == "":
            cells.pop()
        if not any(cells):
            continue
        if number == 1 and not _compact(cells[0]).isdigit():
            continue  # a header row
        yield number, cells


def _checked(reader):
    """The csv reader's rows; its own errors (a field over its 131,072-character limit, a
    stray NUL) become a file error for the report."""
    try:
        yield from reader
    except csv.Error as exc:
        raise ImportFileError("malformed") from exc


def _parse_date(value: str) -> date | None:
    match = DAY_FIRST.fullmatch(value)
    try:
        if match:
            day, month, year = match.groups()
            return date(int(year), int(month), int(day))
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _compact(number: str) -> str:
    """What stdnum.be.nn.compact does (drop spaces, dots, dashes), at bulk speed."""
    return number.replace(" ", "").replace(".", "").replace("-", "")


def _check_number(number: str, birth: date | None, errors: list, row: int) -> str | None:
    try:
        stdnn.validate(number)
        born = stdnn.get_birth_date(number)
        # Day (or month) 00: only the known parts of the date can be compared.
        year = born.year if born else stdnn.get_birth_year(number)
        month = born.month if born else stdnn.get_birth_month(number)
    except (InvalidFormat, InvalidLength):
        errors.append(RowError(row, "national_number", "nn_format"))
        return None
    except InvalidChecksum:
        errors.append(RowError(row, "national_number", "nn_checksum"))
        return None
    except (InvalidComponent, ValueError):
        errors.append(RowError(row, "national_number", "nn_invalid"))
        return None
    if birth is not None and (
        (year is not None and year != birth.year)
        or (month is not None and month != birth.month)
        or (born is not None and born != birth)
    ):
        errors.append(RowError(row, "national_number", "nn_birth_date"))
        return None
    return number


@dataclass(frozen=True)
class _Target:
    """What every row is checked against, as plain values (no ORM access per row)."""

    cohort_id: int
    born_from: date
    born_to: date
    digest: object  # national number -> keyed hash

    @classmethod
    def of(cls, cohort: Cohort) -> _Target:
        return cls(cohort.id, cohort.born_from, cohort.born_to, nn_hasher())


_NAMES = tuple(name for name, _ in COLUMNS)
_CHECKS = tuple((name, limit, name in REQUIRED,
                 name not in ("national_number", "birth_date", "postcode"))
                for name, limit in COLUMNS)


def check_row(row: int, cells: list[str], target: _Target) -> tuple[dict | None, list]:
    """The Person values of one row, or None and the row's errors."""
    errors: list[RowError] = []
    if len(cells) not in (len(COLUMNS) - 1, len(COLUMNS)):
        return None, [RowError(row, "row", "columns", {"count": len(cells)})]
    values = dict(zip(_NAMES, cells, strict=False))
    values.setdefault("language", "")
    values["national_number"] = _compact(values["national_number"])
    for name, limit, required, bounded in _CHECKS:
        value = values[name]
        if not value:
            if required:
                errors.append(RowError(row, name, "required"))
        elif bounded and len(value) > limit:
            errors.append(RowError(row, name, "too_long", {"max": limit}))

    birth = None
    if values["birth_date"]:
        birth = _parse_date(values["birth_date"])
        if birth is None:
            errors.append(RowError(row, "birth_date", "date_format"))
        elif not target.born_from <= birth <= target.born_to:
            errors.append(RowError(row, "birth_date", "outside_cohort", {
                "start": target.born_from.isoformat(), "end": target.born_to.isoformat()}))
    number = None
    if values["national_number"]:
        number = _check_number(values["national_number"], birth, errors, row)
    info = None
    if values["postcode"]:
        info = regions.lookup(values["postcode"])
        if info is None:
            errors.append(RowError(row, "postcode", "postcode"))
    language = None
    if values["language"]:
        try:
            language = regions.normalize_language(values["language"])
        except ValueError:
            errors.append(RowError(row, "language", "language"))
    if errors:
        return None, errors
    return {
        "cohort_id": target.cohort_id,
        "nn_hash": target.digest(number),
        "national_number": number,
        "last_name": values["last_name"],
        "first_names": values["first_names"],
        "birth_date": birth,
        "sex": "M" if int(number[6:9]) % 2 else "F",  # odd serial: male (as stdnum)
        "street": values["street"],
        "house_number": values["house_number"],
        "box": values["box"],
        "postcode": info.postcode,
        "municipality": values["municipality"],
        "nis_code": info.nis_code,
        "region": info.region,
        "register_language": language,
        "language": regions.region_languages(info.region, language)[0],
    }, []


def _insert(rows: list[dict]) -> None:
    """Store new persons, skipping anyone a concurrent import stored in the meantime.

    PostgreSQL: COPY into a temporary table, then one INSERT ... SELECT ... ON CONFLICT DO
    NOTHING (an executemany of 150,000 rows costs several times more). SQLite: one Core
    executemany. Both run in the session's transaction, so a failure undoes everything.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        _copy_insert(connection, rows)
    else:
        _sqlite_insert(connection, rows)


def _columns(rows: list[dict]) -> tuple[list[str], str]:
    # Column names of our own table (the keys check_row builds), never input from a file.
    columns = [c for c in rows[0] if c in Person.__table__.columns]
    return columns, ", ".join(f'"{c}"' for c in columns)


def _sqlite_insert(connection, rows: list[dict]) -> None:
    """One driver-level executemany: SQLAlchemy's per-row parameter processing would cost
    more than the insert itself. Values are written as SQLAlchemy writes them on SQLite:
    dates ISO, datetimes naive UTC with microseconds (portal.models.UTCDateTime)."""
    columns, names = _columns(rows)
    stamps = {row["created_at"] for row in rows}
    as_text = {stamp: stamp.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") for stamp in stamps}
    values = itemgetter(*columns)
    params = []
    for row in rows:
        params.append(values({**row, "birth_date": row["birth_date"].isoformat(),
                              "created_at": as_text[row["created_at"]],
                              "updated_at": as_text[row["updated_at"]]}))
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(
        f"INSERT INTO persons ({names}) VALUES ({marks}) "  # noqa: S608
        "ON CONFLICT (nn_hash) DO NOTHING",
        params,
    )


def _copy_insert(connection, rows: list[dict]) -> None:
    columns, names = _columns(rows)
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS persons_import "
            "(LIKE persons INCLUDING DEFAULTS) ON COMMIT DROP")
        with cursor.copy(f"COPY persons_import ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        cursor.execute(f"INSERT INTO persons ({names}) SELECT {names} "  # noqa: S608
                       "FROM persons_import ON CONFLICT (nn_hash) DO NOTHING")
        cursor.execute("TRUNCATE persons_import")
    finally:
        cursor.close()


def import_csv(cohort: Cohort, source: bytes | BinaryIO, actor, filename: str = "",
               chunk_size: int = CHUNK_SIZE) -> CohortImport:
    """Check every row, store the good ones, keep the report. Flushes; the caller commits.

    `source` is the file's bytes or a binary stream (an upload, an open file), read as a
    stream: memory stays flat whatever the size. The first MAX_ERRORS_KEPT problems are
    kept as report rows, the rest only counted. Raises ImportFileError when the file as
    a whole cannot be read; the caller rolls back (chunks already inserted go too).
    """
    target = _Target.of(cohort)
    now = utcnow()
    record = CohortImport(cohort_id=cohort.id, actor_id=getattr(actor, "id", None),
                          filename=filename[:200])
    db.session.add(record)
    db.session.flush()
    good: list[dict] = []
    kept: list[dict] = []
    seen: dict[str, int] = {}
    total = created = existing = rejected = problems = 0

    def store_chunk() -> None:
        nonlocal created, existing
        known = set(db.session.scalars(
            db.select(Person.nn_hash).where(Person.nn_hash.in_([r["nn_hash"] for r in good]))
        ))
        new = [r for r in good if r["nn_hash"] not in known]
        existing += len(good) - len(new)
        if new:
            _insert(new)
            created += len(new)
        good.clear()

    text = _text(source)
    try:
        for row, cells in read_rows(_lines(text)):
            total += 1
            values, row_errors = check_row(row, cells, target)
            if values is not None:
                first = seen.setdefault(values["nn_hash"], row)
                if first != row:
                    row_errors = [RowError(row, "national_number", "duplicate", {"row": first})]
                    values = None
            if values is None:
                rejected += 1
                problems += len(row_errors)
                for error in row_errors:
                    if len(kept) < MAX_ERRORS_KEPT:
                        kept.append({"import_id": record.id, "row": error.row,
                                     "field": error.field, "reason": error.reason,
                                     "params": json.dumps(error.params, sort_keys=True)})
            else:
                values["created_at"] = values["updated_at"] = now
                good.append(values)
                if len(good) >= chunk_size:
                    store_chunk()
    finally:
        text.detach()  # the caller owns the stream
    if total == 0:
        raise ImportFileError("empty")
    if good:
        store_chunk()
    if kept:
        db.session.execute(db.insert(CohortImportError), kept)
    record.rows, record.created, record.existing = total, created, existing
    record.rejected, record.problems = rejected, problems
    db.session.flush()
    audit.record(actor, "invitations.cohort_imported", cohort, import_id=record.id,
                 rows=total, created=created, existing=existing, rejected=rejected)
    return record


def kept_in_file_order(record: CohortImport, after_id: int = 0):
    """The statement of an import's kept problems (CohortImportError) in file order, those
    after `after_id` (for the report to page through, or a batch after the last one)."""
    return (db.select(CohortImportError)
            .where(CohortImportError.import_id == record.id, CohortImportError.id > after_id)
            .order_by(CohortImportError.id))


def row_error(kept: CohortImportError) -> RowError:
    return RowError(kept.row, kept.field, kept.reason, json.loads(kept.params or "{}"))


def report_errors(record: CohortImport) -> list[RowError]:
    """The kept problems of an import, in file order."""
    return [row_error(e) for e in db.session.scalars(kept_in_file_order(record))]


def kept_errors(record: CohortImport) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(CohortImportError)
                             .where(CohortImportError.import_id == record.id))


def errors_csv(record: CohortImport):
    """The bad rows of an import as CSV (row;field;reason) in the current language, as a
    stream of lines; a last line counts the problems beyond those kept."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def line(values) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow(csvsafe.row(values))
        return out.getvalue()

    yield "\ufeff" + line([str(FIELD_LABELS["row"]), str(_l("Field")), str(_l("Reason"))])
    written = last_id = 0
    while True:
        batch = db.session.scalars(kept_in_file_order(record, last_id).limit(1000)).all()
        if not batch:
            break
        for kept in batch:
            e = row_error(kept)
            yield line([e.row, field_label(e.field), reason_text(e.reason, e.params)])
        written, last_id = written + len(batch), batch[-1].id
    if record.problems > written:
        yield line(["", "", str(_l("%(count)s more problems were counted but not kept.",
                                   count=record.problems - written))])
