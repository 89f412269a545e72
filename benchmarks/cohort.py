"""A generated National Register extract: valid register numbers, Belgian postcodes in the
proportions of the first real invitation run (about 61 % Dutch, 38 % French, 0.6 % German)."""
from __future__ import annotations

import random
from datetime import date, timedelta

# (postcode, municipality, weight): Flanders, Brussels, Wallonia, German-speaking area.
PLACES = [
    ("9000", "Gent", 14), ("2000", "Antwerpen", 14), ("8000", "Brugge", 9), ("3000", "Leuven", 9),
    ("3500", "Hasselt", 8), ("8500", "Kortrijk", 7), ("1000", "Bruxelles", 6),
    ("1050", "Ixelles", 5), ("1080", "Molenbeek-Saint-Jean", 4), ("4000", "Liège", 9),
    ("5000", "Namur", 6), ("6000", "Charleroi", 8), ("7000", "Mons", 5),
    ("1300", "Wavre", 3), ("4700", "Eupen", 1),
]
FIRST = ["Lotte", "Noah", "Emma", "Lucas", "Louise", "Arthur", "Olivia", "Jules", "Zoë",
         "Mohamed", "Amélie", "Thibault", "Inès", "Çelik", "Jürgen", "Anaïs", "Maëlle", "Björn"]
LAST = ["Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Dupont", "Martin", "Claes",
        "Goossens", "Wouters", "De Smet", "Vandenberghe", "El Amrani", "Müller", "Schmitz",
        "Van den Broeck", "Lefèvre", "Mertens"]
STREETS = ["Kerkstraat", "Rue de la Station", "Stationsstraat", "Rue du Moulin", "Dorpsstraat",
           "Chaussée de Louvain", "Hauptstraße", "Nieuwstraat"]


def national_number(birth: date, serial: int) -> str:
    body = f"{birth:%y%m%d}{serial:03d}"
    base = int(("2" if birth.year >= 2000 else "") + body)
    return f"{body}{97 - base % 97:02d}"


def rows(count: int, year: int, seed: int = 18):
    """`count` register rows of people born in `year`, as lists of cells."""
    rng = random.Random(seed)
    places = [p for p in PLACES for _ in range(p[2])]
    start = date(year, 1, 1)
    days = (date(year, 12, 31) - start).days + 1
    for i in range(count):
        birth = start + timedelta(days=i % days)
        serial = 1 + (i // days + seed) % 997
        postcode, municipality, _weight = rng.choice(places)
        yield [national_number(birth, serial), rng.choice(LAST), rng.choice(FIRST),
               f"{birth:%d/%m/%Y}", rng.choice(STREETS), str(rng.randint(1, 250)),
               rng.choice(["", "", "", "2", "B"]), postcode, municipality, ""]


def csv_bytes(count: int, year: int, seed: int = 18) -> bytes:
    lines = ["Rijksregisternummer;Naam;Voornamen;Geboortedatum;Straat;Huisnummer;Bus;"
             "Postcode;Gemeente;Taal"]
    lines += [";".join(cells) for cells in rows(count, year, seed)]
    return ("\n".join(lines) + "\n").encode("utf-8")
