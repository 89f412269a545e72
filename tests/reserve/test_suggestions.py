"""Unit suggestions follow what the candidate said (their expertise, their pillar) and give
their reasons as whole sentences in the candidate's language."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext, ngettext

from portal.extensions import db
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.client import login, post_form

LIEGE = "4000"


def _suggest(client, **fields) -> str:
    data = {
        "rank_category": "soldier",
        "days_per_year": "12",
        "commitment_months": "36",
        "postcode": LIEGE,
        "street": "Rue Saint-Gilles 1",
        "suggest": "1",
        **fields,
    }
    response = post_form(client, "/reserve/apply", data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html.split('id="suggestions"', 1)[1].split("</div>", 1)[0]


def _items(block: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", li).strip()
        for li in re.findall(r"<li>(.*?)</li>", block, flags=re.S)
    ]


def _world():
    cyber = helpers.skill(
        "cyber", name_fr="Cybersécurité", name_nl="Cyberbeveiliging", name_de="Cybersicherheit"
    )
    helpers.unit(
        pillar="specialised",
        province="brussels",
        skills=[cyber],
        name="Cyber Reserve Detachment",
        places=25,
    )
    helpers.unit(
        pillar="territorial", province="liege", name="Compagnie territoriale Liège", places=100
    )
    helpers.unit(pillar="combat", province="liege", name="Liège Combat Company", places=60)
    db.session.commit()
    return cyber


def test_a_cyber_expert_near_a_territorial_company_is_suggested_the_cyber_unit(app, client):
    cyber = _world()
    login(client, factories.user(language="fr"))
    block = _suggest(client, skills=[str(cyber.id)])
    items = _items(block)
    assert items[0].startswith("Cyber Reserve Detachment")
    # Units that need none of the stated expertise do not come before or beside the one
    # that needs it.
    assert all("Cyber" in item for item in items), items
    with force_locale("fr"):
        assert gettext(
            "Suggested pillar: %(pillar)s", pillar=gettext("Specialised reserve")
        ) in block.replace("&#39;", "'")


def test_a_candidate_who_chose_a_pillar_is_suggested_units_of_that_pillar(app, client):
    _world()
    login(client, factories.user(language="fr"))
    block = _suggest(client, pillar="combat")
    assert [item.split(" (")[0] for item in _items(block)] == ["Liège Combat Company"]


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_reasons_are_whole_translated_sentences(app, client, language):
    cyber = _world()
    helpers.unit(
        pillar="specialised", province="liege", skills=[cyber], name="Cyber Liège", places=1
    )
    db.session.commit()
    login(client, factories.user(language=language))
    items = _items(_suggest(client, skills=[str(cyber.id)]))
    first = items[0].replace("&#39;", "'")
    assert first.startswith("Cyber Liège")
    with force_locale(language):
        expected = [
            gettext(
                "This unit needs what you know: %(skills)s.",
                skills=getattr(cyber, f"name_{language}"),
            ),
            gettext("It is in your home province, %(province)s.", province=gettext("Liège")),
            ngettext("It still has %(num)d free place.", "It still has %(num)d free places.", 1),
        ]
    for sentence in expected:
        assert sentence in first, (sentence, first)
        assert sentence[0].isupper() and sentence.endswith("."), sentence
    assert ";" not in first
