"""Invitation codes: typable, checked, unguessable, stored only as a keyed hash."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from portal.invitations import codes

DATA = st.text(alphabet=codes.ALPHABET, min_size=12, max_size=12)


def _printed(data: str) -> str:
    return codes._format(data + codes.check_char(data))


def test_generated_codes_are_grouped_crockford_with_a_valid_check():
    seen = {codes.generate() for _ in range(2000)}
    assert len(seen) == 2000
    for code in seen:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-"
                            r"[0-9A-HJKMNP-TV-Z]", code)
        assert codes.normalize(code) == code


@given(DATA, st.integers(0, 12), st.sampled_from(codes.ALPHABET))
def test_check_character_catches_every_single_substitution(data, position, replacement):
    raw = data + codes.check_char(data)
    if raw[position] == replacement:
        return
    typo = raw[:position] + replacement + raw[position + 1:]
    assert codes.normalize(typo) is None


@given(DATA, st.integers(0, 11))
def test_check_character_catches_every_adjacent_swap(data, position):
    raw = data + codes.check_char(data)
    if raw[position] == raw[position + 1]:
        return
    swapped = raw[:position] + raw[position + 1] + raw[position] + raw[position + 2:]
    assert codes.normalize(swapped) is None


@given(DATA)
def test_normalize_accepts_how_people_type(data):
    printed = _printed(data)
    sloppy = printed.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert codes.normalize(f"  {sloppy} ") == printed


def test_normalize_refuses_wrong_length_and_foreign_characters():
    code = codes.generate()
    assert codes.normalize(code[:-1]) is None
    assert codes.normalize(code + "0") is None
    assert codes.normalize(code.replace(code[0], "U", 1)) is None
    assert codes.normalize("") is None and codes.normalize(None) is None


def test_hash_is_keyed_and_spelling_independent(app):
    code = codes.generate()
    digest = codes.hash_code(code)
    assert digest == codes.hash_code(code.lower().replace("-", ""))
    assert len(digest) == 64 and code.replace("-", "") not in digest
    app.config["CODE_HASH_KEY"] = "another key"
    try:
        assert codes.hash_code(code) != digest
    finally:
        app.config["CODE_HASH_KEY"] = None
