"""The postal rule of the envelope window (portal/letters/address.py)."""
from __future__ import annotations

import pytest

from portal.letters import address


def _lines(first="Ann", last="Smet", street="Kerkstraat", number="1", box="", town="9000 Gent",
           language="nl"):
    return address.window_lines(first_names=first, last_name=last, name=f"{first} {last}",
                                street=street, house_number=number, box=box,
                                postcode_line=town, language=language)


def test_a_short_address_is_printed_as_it_is():
    assert _lines() == ["Ann Smet", "Kerkstraat 1", "9000 Gent"]


@pytest.mark.parametrize(("language", "word"), [("nl", "bus"), ("fr", "bte"), ("de", "Bfk.")])
def test_the_box_word_follows_the_letter_language(language, word):
    assert _lines(box="4", language=language)[1] == f"Kerkstraat 1\u00a0{word}\u00a04"


def test_long_first_names_become_initials_before_anything_else():
    first = "Jean-Baptiste Marie-Xavier Emmanuel Philippe Alexandre"
    last = "Van den Bossche-de la Kethulle"
    (line, *_rest) = _lines(first=first, last=last)
    assert line.endswith(last) and address.fits(line)
    assert line in (f"Jean-Baptiste M.-X. E. P. A. {last}", f"J.-B. M.-X. E. P. A. {last}",
                    f"J.-B. {last}")


def test_a_long_street_wraps_and_keeps_number_and_box_together():
    street = "Burgemeester Edmond Van Den Heuvel-Vandermeerschlaan-Zuid en Parallelweg"
    lines = _lines(street=street, number="1234", box="56")
    assert lines[0] == "Ann Smet" and lines[-1] == "9000 Gent" and len(lines) <= 6
    assert lines[-2].endswith("1234\u00a0bus\u00a056")
    assert lines[1].startswith("Burgemeester")
    assert all(address.fits(line) for line in lines)


def test_what_cannot_fit_is_refused_never_cut():
    with pytest.raises(address.AddressDoesNotFit, match="name"):
        _lines(last="W" * 60)
    with pytest.raises(address.AddressDoesNotFit, match="six|6"):
        _lines(street=" ".join(["Lange Straatnaam"] * 12))


def test_kerning_counts_in_the_measure():
    from portal.letters.pdf import fonts

    plain = sum(fonts.face("regular").advances[g] for g in
                [fonts.face("regular").cmap[ord(c)] for c in "AVAVAVAV"])
    shaped = sum(run.advance for run in fonts.shape("AVAVAVAV", "regular"))
    assert shaped < plain


def test_brussels_municipalities_print_in_the_letter_language():
    name = "Molenbeek-Saint-Jean / Sint-Jans-Molenbeek"
    assert address.municipality_name(name, "fr") == "Molenbeek-Saint-Jean"
    assert address.municipality_name(name, "nl") == "Sint-Jans-Molenbeek"
    assert address.municipality_name(name, "de") == "Molenbeek-Saint-Jean"
    assert address.municipality_name("Gent", "fr") == "Gent"
