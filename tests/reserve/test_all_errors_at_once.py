"""A long form shows every error of one submission at once, in its error summary: the
Reserve application needed five submissions to learn about five problems."""
from __future__ import annotations

import re

from portal.extensions import db
from portal.reserve.models import Engagement
from tests.support import factories
from tests.support.client import login, post_form


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_five_problems_are_all_shown_after_one_submission(client):
    user = factories.user(language="nl")
    db.session.commit()
    login(client, user)
    response = post_form(client, "/reserve/apply", {
        "pillar": "combat", "rank_category": "soldier", "days_per_year": "2",
        "commitment_months": "3", "availability": "part_time",
        "unit_1": "0", "unit_2": "0", "unit_3": "0",
        "unavailable_1_from": "2027-05-10", "unavailable_1_to": "2027-05-01",
        "street": "Kerkstraat 1", "postcode": "12"})
    assert response.status_code == 422
    summary = _summary(response.get_data(as_text=True))
    for message in ("Geef minstens 5 dagen per jaar", "Verbind je voor minstens 12 maanden.",
                    "Rangschik minstens één eenheid.",
                    "moet eindigen op of na de eerste dag",
                    "Vul een Belgische postcode van 4 cijfers in."):
        assert message in summary, message
    # Each is linked to its field, and nothing was filed.
    assert summary.count("<a href=") == 5
    assert db.session.scalar(db.select(Engagement)) is None


def test_a_field_left_empty_keeps_one_clear_message(client):
    user = factories.user(language="nl")
    db.session.commit()
    login(client, user)
    response = post_form(client, "/reserve/apply", {
        "rank_category": "soldier", "days_per_year": "", "commitment_months": "24",
        "availability": "part_time", "unit_1": "0", "street": "", "postcode": "2000"})
    summary = _summary(response.get_data(as_text=True))
    assert summary.count("<a href=") == 3  # pillar, days, street: once each
    assert "Geef minstens" not in summary

