"""Every letter kind, in every language section (Dutch, French, German), filled with the
longest values it meets in real use (settings, unit and enterprise names, periods, long
names and streets): no text runs out of its box or over other text, every label is level
with its value, and no signature or framed box is split over two pages."""
from __future__ import annotations

import pytest

from tests.support import letter_layout, letter_specimens

KINDS = letter_specimens.NAMES


def test_the_specimens_cover_every_kind(app):
    with app.test_request_context():
        assert set(KINDS) == set(letter_specimens.kinds())
    from portal.letters import kinds as letter_kinds

    # Every kind a domain declares, each with its template, has its specimen.
    declared = {kind.name for kind in letter_kinds.declared() if kind.template.is_file()}
    assert declared == {name.split("-")[0] for name in KINDS}


@pytest.mark.parametrize("name", KINDS)
def test_every_text_slot_stays_in_its_box(app, name):
    found = {}
    with app.test_request_context():
        for order in letter_specimens.ORDERS:
            document = letter_specimens.layout(app, name, order)
            if problems := letter_layout.problems(document):
                found["-".join(order)] = problems
    assert found == {}
