"""The region table and the languages of a letter, as DESIGN.md "Languages" sets them."""
from __future__ import annotations

import pytest

from portal import regions


def _design_region(postcode: str) -> str:
    """The postcode ranges of DESIGN.md, written out once to check the data against."""
    n = int(postcode)
    if 1000 <= n <= 1299:
        return "brussels"
    if 4700 <= n <= 4799:
        return "german"
    if 1300 <= n <= 1499 or 4000 <= n <= 7999:
        return "wallonia"
    return "flanders"


@pytest.mark.parametrize(
    ("postcode", "languages", "region", "municipality"),
    [
        ("1000", ("fr", "nl"), "brussels", "Bruxelles / Brussel"),
        ("1300", ("fr", "nl"), "wallonia", "Wavre"),
        ("1500", ("nl", "fr"), "flanders", "Halle"),
        ("4700", ("de", "fr", "nl"), "german", "Eupen"),
        ("4960", ("fr", "nl"), "wallonia", "Malmedy"),
        ("9000", ("nl", "fr"), "flanders", "Gent"),
    ],
)
def test_region_rule_gives_the_recipients_language_first(postcode, languages, region, municipality):
    info = regions.lookup(postcode)
    assert info.region == region
    assert info.municipality == municipality
    assert regions.letter_languages(postcode) == languages
    assert regions.recipient_language(postcode, None) == languages[0]


@pytest.mark.parametrize(
    ("postcode", "register_language", "languages"),
    [
        ("1000", "nl", ("nl", "fr")),
        ("1000", "fr", ("fr", "nl")),
        ("9000", "fr", ("fr", "nl")),
        ("4960", "de", ("de", "fr", "nl")),
        ("4700", "fr", ("fr", "nl")),
        ("1300", "NL", ("nl", "fr")),
        ("1300", "", ("fr", "nl")),
    ],
)
def test_register_language_overrides_the_postcode(postcode, register_language, languages):
    assert regions.letter_languages(postcode, register_language) == languages
    assert regions.recipient_language(postcode, register_language) == languages[0]


@pytest.mark.parametrize("postcode", ["0999", "1001", "10000", "abcd", "", None, "4799"])
def test_unknown_postcodes_are_not_in_the_table(postcode):
    assert regions.lookup(postcode) is None


def test_letter_languages_refuses_an_unknown_postcode_or_language():
    with pytest.raises(regions.UnknownPostcode):
        regions.letter_languages("1001")
    with pytest.raises(ValueError):
        regions.letter_languages("1000", "en")


def test_every_row_agrees_with_the_design_postcode_ranges():
    rows = regions.all_postcodes()
    assert len(rows) > 1100
    for info in rows:
        assert 1000 <= int(info.postcode) <= 9999
        assert info.region == _design_region(info.postcode), info
        assert len(info.nis_code) == 5 and info.nis_code.isdigit()


def test_the_german_speaking_area_is_exactly_its_nine_municipalities():
    german = {(i.municipality, i.nis_code) for i in regions.all_postcodes() if i.region == "german"}
    assert german == {
        ("Amel", "63001"), ("Büllingen", "63012"), ("Bütgenbach", "63013"),
        ("Eupen", "63023"), ("Kelmis", "63040"), ("Lontzen", "63048"),
        ("Raeren", "63061"), ("Sankt Vith", "63067"), ("Burg-Reuland", "63087"),
    }


def test_brussels_has_its_nineteen_municipalities():
    nis = {i.nis_code for i in regions.all_postcodes() if i.region == "brussels"}
    assert nis == {f"210{n:02d}" for n in range(1, 20)}
    assert regions.lookup("1040").municipality == "Etterbeek"
    assert regions.lookup("1180").municipality == "Uccle / Ukkel"
