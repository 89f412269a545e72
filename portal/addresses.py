"""Postal addresses as printed on letters: the one way to write a street line."""
from __future__ import annotations


def street_line(street: str | None, house_number: str | None, box: str | None = None) -> str:
    """"Rue Neuve 12 bus/bte 3": the box in both national languages, as bpost prints it."""
    line = " ".join(part for part in (street, house_number) if part)
    if box:
        line += f" bus/bte {box}"
    return line


def address_lines(street: str | None, house_number: str | None, box: str | None,
                  postcode: str | None, municipality: str | None) -> tuple[str, ...]:
    """The street line and the town line, leaving out what is empty."""
    town = " ".join(part for part in (postcode, municipality) if part)
    return tuple(line for line in (street_line(street, house_number, box), town) if line)
