"""Citizens are addressed informally everywhere: "tu" in French, "je/jij" in Dutch, "du" in
German. The formal form stays for enterprises (their space, their e-mails and letters) and may
stay on staff pages, which keep their own tone. Which reader a message has is read from where
it is used: the files it is extracted from."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

import pytest

from tests.test_translations import (
    EMPLOYER_FACING,
    GERMAN_SIE_ALLOWED,
    GERMAN_SIE_TO_ENTERPRISES,
    PARENT_FACING,
    ROOT,
    _catalogue,
)

# Pages and code only staff see: recruiters, medical staff, administrators, unit staff.
STAFF_FACING = (
    "portal/templates/applications/review/",
    "portal/templates/applications/medical/",
    "portal/templates/applications/vetting/",
    "portal/templates/applications/intakes/",
    "portal/templates/reserve/staff/",
    "portal/templates/reserve/units/",
    "portal/templates/employers/admin/",
    "portal/templates/employers/units/",
    "portal/templates/cohorts/",
    "portal/templates/audit/",
    "portal/templates/staff/",
    "portal/templates/letters/run.html",
    "portal/templates/letters/runs.html",
    "portal/templates/letters/_run_state.html",
    "portal/templates/privacy/requests.html",
    "portal/applications/review/",
    "portal/applications/medical/",
    "portal/applications/vetting/",
    "portal/reserve/staff/",
    "portal/reserve/units/",
    "portal/employers/admin/",
    "portal/employers/units/",
    "portal/letters/run_views.py",
    "portal/accounts/staff_views.py",
    "portal/audit_views.py",
)
# Messages in shared code that only staff read, with where they are shown.
STAFF_MESSAGES = {
    # the form a staff member fills in to answer a candidate's request for review
    "Give the reason for your answer, in at least %(num)d characters.",
    # shown to the staff member who took the decision under review
    "You took part in the decision under review: a colleague who did not must answer this request.",
    # shown to the administrator who issued a compensation statement that is contested
    "You issued the statement under review: a colleague who did not must answer this request.",
}
FORMAL = {
    "fr": re.compile(r"\b(vous|votre|vos)\b", re.I),
    # "u" and "uw" as words (not the "u" of "18 u", hours), and "alstublieft" / "a.u.b."
    "nl": re.compile(r"(?<![\w.'’-])(u|uw)(?![\w.'’-])|\ba\.u\.b\.|\balstublieft\b", re.I),
    # capitalised: lower-case "sie"/"ihr" are she/they/her, never the reader
    "de": re.compile(r"\b(Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen)\b"),
}


@cache
def _readers() -> dict[str, set[str]]:
    """msgid → the kinds of reader of the files it is used in ("employer", "staff",
    "citizen")."""
    from babel.messages.extract import extract_from_dir

    readers: dict[str, set[str]] = defaultdict(set)
    for filename, _line, message, comments, _ctx in extract_from_dir(
        str(ROOT),
        method_map=[
            ("portal/**.py", "python"),
            ("portal/**/templates/**.html", "jinja2"),
            ("portal/**/templates/**.txt", "jinja2"),
        ],
        keywords={
            "_": None,
            "_l": None,
            "gettext": None,
            "lazy_gettext": None,
            "ngettext": (1, 2),
            "N_": None,
        },
        options_map={"portal/**/templates/**": {"trimmed": "true"}},
        comment_tags=("TRANSLATORS:",),
    ):
        key = message if isinstance(message, str) else message[0]
        if filename.startswith(EMPLOYER_FACING) or any("formal" in c for c in comments):
            readers[key].add("employer")
        elif filename.startswith(STAFF_FACING):
            readers[key].add("staff")
        elif filename.startswith(PARENT_FACING):
            readers[key].add("parent")
        else:
            readers[key].add("citizen")
    return readers


def _citizen_facing(key: str) -> bool:
    kinds = _readers().get(key, {"citizen"})
    if "employer" in kinds or key in GERMAN_SIE_TO_ENTERPRISES or key in STAFF_MESSAGES:
        return False
    return "citizen" in kinds


@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_citizens_are_addressed_informally(lang):
    formal = []
    for message in _catalogue(lang):
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if not _citizen_facing(key) or (lang == "de" and key in GERMAN_SIE_ALLOWED):
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if any(FORMAL[lang].search(s or "") for s in strings):
            formal.append((key, strings[0]))
    assert formal == [], f"{lang}: {len(formal)} formal messages to citizens, e.g. {formal[:5]}"
