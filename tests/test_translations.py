"""The catalogues are complete for nl, fr and de, and placeholders match."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.i18n import TRANSLATED

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text or "")}


def _catalogue(lang):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def _template_ids():
    with (ROOT / "translations" / "messages.pot").open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_not_fuzzy(lang):
    catalogue = _catalogue(lang)
    gaps = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            gaps.append(message.id)
    assert gaps == [], f"{lang}: {len(gaps)} untranslated or fuzzy, e.g. {gaps[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_holds_every_extracted_message(lang):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue(lang) if m.id}
    missing = _template_ids() - ids
    assert not missing, f"{lang}: run `make translations`; missing {sorted(missing)[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_are_the_same_in_every_language(lang):
    wrong = []
    for message in _catalogue(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(_placeholders(i) for i in ids))
        for s in strings:
            if _placeholders(s) != expected:
                wrong.append((message.id, s))
    assert wrong == [], wrong[:5]


def test_templates_hold_no_untranslated_text_between_tags():
    """A cheap net for hard-coded words in templates: text nodes must go through _()."""
    offenders = []
    text_node = re.compile(r">\s*([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ ,.'!?-]{3,})\s*<")
    for path in (ROOT / "portal" / "templates").rglob("*.html"):
        if "letters" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for match in text_node.finditer(source):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(1)!r}")
    assert offenders == [], offenders[:10]


# German readers, citizens and staff alike, meet one form of address: "du". "Sie"/"Ihr"
# stays only where it means she/they/its (a person, a session, an application), and in what
# is written to employers, whom a government service addresses formally ("Sie"): the
# employer space's pages and e-mails, messages whose translator comment says "formal", and the
# letters' and e-mails' texts to enterprises listed below.
GERMAN_SIE_ALLOWED = {
    # third person, not the reader: the session, the calendar address, the unit, the
    # application, the intake's sessions, the person
    "In an information session you hear what the service year is like and can ask your "
    "questions. It takes about %(minutes)d minutes.",
    "Subscribe to this private address in your calendar app to see your training periods "
    "there; changes and cancellations follow automatically. It shows dates, places and units "
    "only.",
    "The unit accepted your request: you no longer take part in this period. It will plan "
    "another one with you.",
    "This application was already submitted: it can no longer be changed. Here is where it "
    "stands now.",
    "This intake is closed: its sessions can no longer be booked.",
    "This person already has an account: they log in, no new code is sent.",
}
GERMAN_SIE_TO_ENTERPRISES = {
    "Any questions? Please call us on %(phone)s (%(hours)s) or write to %(email)s.",
    "If the button does not work, please copy this address into the address bar of your "
    "browser:",
    "For the days your employees served in the Reserve of Defence in %(year)d, Defence pays "
    "your enterprise the compensation agreed in each employer agreement:",
    "Open the link to read the proposal and sign or decline it. You need no password: it "
    "takes about two minutes.",
    "%(inviter)s gives you access to the employer space of %(employer)s on the Reserve "
    "portal of Defence: agreements for employees who serve in the Reserve, their training "
    "periods and the yearly compensation.",
    "A training period of %(reservist)s is announced: from %(start)s to %(end)s, %(place)s. "
    "Confirm it or decline it in the portal.",
    "A training period of your employee is announced",
    "A training period of your employee is cancelled",
    "You are invited to the employer space of the Reserve",
}
FORMAL = re.compile(r"\b(Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen)\b")


INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.I)
EMPLOYER_FACING = ("portal/templates/employers/hr", "portal/templates/emails/employer_",
                   "portal/employers/hr")
# The page for the parents of invited young people: adults, addressed formally too.
PARENT_FACING = ("portal/templates/public/parents.html",)


def _employer_facing_ids() -> set[str]:
    """Messages written only to employers (or to parents): extracted from the employer
    space's files or the parents' page, or marked "formal" by their translator comment."""
    from babel.messages.extract import extract_from_dir

    ids = set()
    for filename, _line, message, comments, _ctx in extract_from_dir(
            str(ROOT), method_map=[("portal/**.py", "python"),
                                   ("portal/**/templates/**.html", "jinja2"),
                                   ("portal/**/templates/**.txt", "jinja2")],
            keywords={"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
                      "ngettext": (1, 2)},
            options_map={"portal/**/templates/**": {"trimmed": "true"}},
            comment_tags=("TRANSLATORS:",)):
        key = message if isinstance(message, str) else message[0]
        if filename.startswith(EMPLOYER_FACING + PARENT_FACING) or any(
                "formal" in c for c in comments):
            ids.add(key)
    return ids


def test_german_addresses_employers_as_sie_and_everyone_else_as_du():
    employer_facing = _employer_facing_ids()
    formal, informal = [], []
    for message in _catalogue("de"):
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if key in employer_facing or key in GERMAN_SIE_TO_ENTERPRISES:
            if any(INFORMAL.search(s or "") for s in strings):
                informal.append((key, strings))
            continue
        if key not in GERMAN_SIE_ALLOWED and any(FORMAL.search(s or "") for s in strings):
            formal.append((key, strings))
    assert formal == [], formal[:5]
    assert informal == [], informal[:5]
