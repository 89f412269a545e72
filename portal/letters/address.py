"""The address in the envelope window, laid out by a postal rule: nothing is ever cut off.

The address block (see letter.css) is 70 mm wide, 5 mm inside the window zone on every
side, and holds at most six lines of 9.5 pt text. Lines
are measured with the letter font's real advance widths and kerning (pdf.fonts), the way
both the full render and letter runs print them. The rule, after bpost's addressing
guidelines (name, street line, postcode line; at most six lines, left-aligned, no part of
the street number ever separated from it):

1. Name line: "First names Surname". Too wide: middle first names become initials
   ("Jean-Baptiste M. X. Dupont"), then every first name ("J.-B. M. X. Dupont"), then
   only the first one ("J. Dupont"). A surname is never shortened; if even "J. Surname"
   is too wide, the name wraps between words (or after a hyphen) over two lines.
2. Street line: "Street number [box-word box]", the box word of the letter's first
   language ("bus", "bte", "Bfk."). Too wide: the street name wraps between words (or
   after a hyphen); number and box always stay together, on the last street line.
3. Postcode line: "postcode municipality", never wrapped or shortened. A bilingual name
   of the register ("Molenbeek-Saint-Jean / Sint-Jans-Molenbeek") is printed in the
   letter's first language only (French, or Dutch for a Dutch letter), as bpost accepts.
4. Any word wider than the window, or more than six lines in all: the address cannot be
   printed, and the letter fails with AddressDoesNotFit (a run reports it and goes on).
"""
from __future__ import annotations

import re

from portal.letters.pdf import fonts

# The window zone of the sheet, mm from its left and top edges (left, top, right, bottom):
# nothing but the address inside; the address keeps WINDOW_MARGIN_MM from every edge.
WINDOW_MM = (110.0, 50.0, 190.0, 90.0)
WINDOW_MARGIN_MM = 5.0
WINDOW_WIDTH_PT = 70 / 25.4 * 72  # .address-window width in letter.css
ADDRESS_SIZE_PT = 9.5             # .slot-line font-size in letter.css
MAX_LINES = 6
BOX_WORDS = {"nl": "bus", "fr": "bte", "de": "Bfk."}
_NBSP = "\u00a0"


class AddressDoesNotFit(ValueError):
    """The address cannot be printed in the window without cutting something off."""


def fits(text: str) -> bool:
    return fonts.width(text, "regular", ADDRESS_SIZE_PT) <= WINDOW_WIDTH_PT


def _initials(name: str) -> str:
    """"Jean-Baptiste" -> "J.-B."; "Marie" -> "M."."""
    return "-".join(part[:1] + "." for part in name.split("-") if part)


def _wrap(text: str, what: str) -> list[str]:
    """Greedy wrap between words, or after a hyphen; never inside a word."""
    pieces = re.findall(r"[^\s-]+-?|-", text.replace(_NBSP, "\x00"))
    lines: list[str] = []
    current = ""
    for piece in pieces:
        joined = current + ("" if not current or current.endswith("-") else " ") + piece
        if fits(joined.replace("\x00", _NBSP)):
            current = joined
            continue
        if not current or not fits(piece.replace("\x00", _NBSP)):
            raise AddressDoesNotFit(f"a word of the {what} is wider than the envelope window")
        lines.append(current)
        current = piece
    if current:
        lines.append(current)
    return [line.replace("\x00", _NBSP) for line in lines]


def name_lines(first_names: str, last_name: str) -> list[str]:
    first = first_names.split()
    candidates = [" ".join([*first, last_name])]
    if len(first) > 1:
        candidates.append(" ".join([first[0], *map(_initials, first[1:]), last_name]))
    if first:
        candidates.append(" ".join([*map(_initials, first), last_name]))
        candidates.append(f"{_initials(first[0])} {last_name}")
    for candidate in candidates:
        if fits(candidate):
            return [candidate]
    return _wrap(candidates[-1], "name")


def street_lines(street: str, house_number: str, box: str, box_word: str) -> list[str]:
    # The number and box are one unit: non-breaking spaces inside it.
    tail = _NBSP.join(filter(None, [house_number, box_word if box else "", box]))
    full = f"{street} {tail}".strip()
    if not full:  # no street given (an application's address left incomplete)
        return []
    if fits(full):
        return [full]
    return _wrap(full, "street")


def municipality_name(name: str, language: str) -> str:
    """One language of a bilingual municipality name "French / Dutch"."""
    if " / " not in name:
        return name
    french, dutch = (part.strip() for part in name.split(" / ", 1))
    return dutch if language == "nl" else french


def window_lines(*, first_names: str | None, last_name: str | None, name: str,
                 street: str | None, house_number: str | None, box: str | None,
                 postcode_line: str | None, other_lines=(), language: str = "nl",
                 attention_lines=()) -> list[str]:
    """The lines printed in the window, by the rule above. `attention_lines` follow the
    name: the person in an organisation a letter is for (bpost: company, then person)."""
    lines = name_lines(first_names or "", last_name) if last_name else _wrap(name, "name")
    for line in attention_lines:
        lines += _wrap(line, "name")
    if street is not None:
        lines += street_lines(street, house_number or "", box or "",
                              BOX_WORDS.get(language, "bus"))
    for line in other_lines:
        lines += _wrap(line, "address")
    if postcode_line and postcode_line.strip():
        if not fits(postcode_line):
            raise AddressDoesNotFit("the postcode line is wider than the envelope window")
        lines.append(postcode_line)
    if len(lines) > MAX_LINES:
        raise AddressDoesNotFit(f"the address needs {len(lines)} lines, the envelope window "
                                f"holds {MAX_LINES}")
    return lines
