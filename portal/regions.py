"""Postcode -> municipality -> NIS code -> region, and the languages a letter is written in.

The table is data (portal/data/postcodes.csv, built from Statbel's postcode -> REFNIS
conversion table, see portal/data/README.md), loaded once per process. Which languages a
region gets, and how a language from the National Register overrides them, are the two
small tables below: no postcode ranges are hard-coded anywhere else.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

DATA = Path(__file__).resolve().parent / "data" / "postcodes.csv"

REGIONS = ("brussels", "flanders", "wallonia", "german")
LANGUAGES = ("nl", "fr", "de")

REGION_LABELS = {
    "brussels": _l("Brussels-Capital"),
    "flanders": _l("Flanders"),
    "wallonia": _l("Wallonia"),
    "german": _l("German-speaking area"),
}

# Letter languages by region, the recipient's language first.
REGION_LANGUAGES: dict[str, tuple[str, ...]] = {
    "flanders": ("nl", "fr"),
    "wallonia": ("fr", "nl"),
    "brussels": ("fr", "nl"),
    "german": ("de", "fr", "nl"),
}
# A language given in the National Register extract overrides the region's order.
REGISTER_LANGUAGES: dict[str, tuple[str, ...]] = {
    "nl": ("nl", "fr"),
    "fr": ("fr", "nl"),
    "de": ("de", "fr", "nl"),
}


# Provinces by their NIS code (Statbel REFNIS); Brussels-Capital belongs to none ("").
# Names are shown in the reader's language; only the code is ever stored.
PROVINCES = {
    "10000": _l("Antwerp"),
    "20001": _l("Flemish Brabant"),
    "20002": _l("Walloon Brabant"),
    "30000": _l("West Flanders"),
    "40000": _l("East Flanders"),
    "50000": _l("Hainaut"),
    "60000": _l("Liège"),
    "70000": _l("Limburg"),
    "80000": _l("Luxembourg"),
    "90000": _l("Namur"),
}


def province_code(nis_code: str) -> str:
    """The NIS code of a municipality's province: its first digit, except in Brabant
    (23xxx and 24xxx Flemish, 25xxx Walloon) and Brussels (21xxx, no province)."""
    head = nis_code[:2]
    if head == "21":
        return ""
    if head in ("23", "24"):
        return "20001"
    if head == "25":
        return "20002"
    return nis_code[0] + "0000"


def province_name(code: str | None) -> str:
    """A province's name in the current language; Brussels-Capital for no province."""
    if not code:
        return str(REGION_LABELS["brussels"])
    label = PROVINCES.get(code)
    return str(label) if label is not None else code


class UnknownPostcode(ValueError):
    """The postcode is not a Belgian postcode known to the region table."""


@dataclass(frozen=True, slots=True)
class PostcodeInfo:
    postcode: str
    municipality: str
    nis_code: str
    region: str  # one of REGIONS
    province: str  # the name in the data file, "" for Brussels; store province_code instead

    @property
    def province_code(self) -> str:
        return province_code(self.nis_code)


@cache
def _table() -> dict[str, PostcodeInfo]:
    table: dict[str, PostcodeInfo] = {}
    with DATA.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            if row["region"] not in REGIONS:
                raise ValueError(f"{DATA.name}: unknown region {row['region']!r}")
            # A few postcodes span two municipalities; the first row is the main one.
            table.setdefault(row["postcode"], PostcodeInfo(**row))
    return table


def normalize_postcode(postcode: str | int | None) -> str:
    return str(postcode if postcode is not None else "").strip()


def lookup(postcode: str | int | None) -> PostcodeInfo | None:
    """The region table's entry for a postcode, or None when it is not a known postcode."""
    return _table().get(normalize_postcode(postcode))


def all_postcodes() -> list[PostcodeInfo]:
    return list(_table().values())


def normalize_language(language: str | None) -> str | None:
    """"NL", " fr " -> "nl", "fr"; empty -> None; anything else raises ValueError."""
    if language is None or not language.strip():
        return None
    value = language.strip().lower()
    if value not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return value


def letter_languages(postcode: str | int, register_language: str | None = None) -> tuple[str, ...]:
    """The languages of a letter to this address, the recipient's language first.

    Raises UnknownPostcode for a postcode not in the table, ValueError for a register
    language other than nl, fr or de.
    """
    info = lookup(postcode)
    if info is None:
        raise UnknownPostcode(normalize_postcode(postcode))
    return region_languages(info.region, register_language)


def region_languages(region: str, register_language: str | None = None) -> tuple[str, ...]:
    """letter_languages for a region already looked up (bulk imports)."""
    language = normalize_language(register_language)
    if language is not None:
        return REGISTER_LANGUAGES[language]
    return REGION_LANGUAGES[region]


def recipient_language(postcode: str | int, register_language: str | None = None) -> str:
    """The language to address this person in: the register's, else their region's first."""
    return letter_languages(postcode, register_language)[0]
