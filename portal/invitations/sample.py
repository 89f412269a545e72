"""Fictitious register data for the demo, the tests and the import benchmark.

Builds valid national register numbers (mod-97, with the `2` prefix for births from 2000
on) and CSV files laid out like a National Register extract. No real person is described.
"""
from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

FIRST_NAMES = ("Lotte", "Noah", "Emma", "Lucas", "Louise", "Arthur", "Olivia", "Jules",
               "Marie", "Finn", "Elise", "Liam", "Nora", "Adam", "Julie", "Mohamed")
LAST_NAMES = ("Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Dupont", "Claes",
              "Goossens", "Wouters", "Mertens", "Lejeune", "Schmitz", "Kessler", "Martin")
# (postcode, municipality, street): one address per region for demo files.
ADDRESSES = (
    ("9000", "Gent", "Veldstraat"),
    ("2000", "Antwerpen", "Meir"),
    ("1000", "Bruxelles", "Rue Neuve"),
    ("1050", "Ixelles", "Chaussée d'Ixelles"),
    ("5000", "Namur", "Rue de Fer"),
    ("4000", "Liège", "Rue Léopold"),
    ("4700", "Eupen", "Klötzerbahn"),
    ("4780", "Sankt Vith", "Hauptstraße"),
)
HEADER = ("rijksregisternummer", "naam", "voornamen", "geboortedatum", "straat", "huisnummer",
          "bus", "postcode", "gemeente", "taal")


def national_number(birth: date, serial: int) -> str:
    """A valid national register number for this birth date; odd serial = male."""
    if not 1 <= serial <= 998:
        raise ValueError("serial must be 1..998")
    base = f"{birth:%y%m%d}{serial:03d}"
    prefixed = ("2" + base) if birth.year >= 2000 else base
    check = 97 - int(prefixed) % 97
    return f"{base}{check:02d}"


def rows(count: int, born_from: date, born_to: date, seed: int = 1) -> list[list[str]]:
    """`count` distinct register rows born in [born_from, born_to], all valid."""
    rng = random.Random(seed)
    days = (born_to - born_from).days + 1
    if count > days * 998:
        raise ValueError("not enough distinct register numbers in that period")
    out = []
    for i in range(count):
        birth = born_from + timedelta(days=i % days)
        serial = i // days + 1
        postcode, municipality, street = ADDRESSES[rng.randrange(len(ADDRESSES))]
        out.append([
            national_number(birth, serial), rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES),
            birth.strftime("%d/%m/%Y"), street, str(rng.randint(1, 250)),
            rng.choice(("", "", "", "2", "B")), postcode, municipality,
            rng.choice(("", "", "", "nl", "fr", "de")),
        ])
    return out


def csv_bytes(data_rows, delimiter: str = ";", bom: bool = True, header: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if header:
        writer.writerow(HEADER)
    writer.writerows(data_rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")
