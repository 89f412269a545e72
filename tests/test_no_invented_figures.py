"""No figure is typed into a page, a letter or an e-mail: every number the portal prints in
prose comes from a setting, an intake, a cohort or other data, so that nothing nobody
decided reads as policy.

The scan covers every message the portal translates (templates and Python, extracted the
way `make translations-extract` does), the text of every template outside its messages,
the values templates hand to their messages, and the nl/fr/de translations. What is left
after the placeholders and the allow-list below must hold no digit and no counted period
("two days", "three working days"). The allow-list is deliberately narrow: each entry is
an exact phrase (or a tight pattern) with the reason it is a fixed fact and not a figure
someone must decide.
"""
from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from portal.i18n import TRANSLATED
from tests.support import templates

ROOT = Path(__file__).resolve().parent.parent


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|%%|\{\{?\s*\w+\s*\}?\}")

# Fixed facts, removed before looking for figures. Each: (pattern, why it is not a figure
# anyone decides).
ALLOWED: list[tuple[str, str]] = [
    # Article numbers of the GDPR, cited in privacy notices and the processing record.
    (r"\bArt(?:icle|\.)\s*\d+(?:\(\d+\))*(?:\([a-z]\))?", "article of a law"),
    (r"\(\d+\)\([a-z]\)", "paragraph of an article"),
    # Laws cited by their date: the formal motivation of administrative acts (a refusal's
    # legal ground) and the National Register (where the invitation's data come from).
    (r"Law of 29 July 1991", "the law on the formal motivation of administrative acts"),
    (r"Law of 8 August 1983", "the law organising the National Register"),
    (r"Law of 16 May 2001", "the law on the status of reserve military personnel"),
    # The policy note the targets come from, by its name.
    (r"Defence policy note 2024–2025", "name of the policy note"),
    # Postal addresses of Defence, the Data Protection Authority and the Council of State.
    (r"Rue d'Evere 1, 1140 Evere", "Defence's address"),
    (r"Rue d'Evere 1 · 1140 Evere", "Defence's address"),
    (r"Rue de la Presse 35, 1000 Brussels", "the Data Protection Authority's address"),
    (r"Rue de la Science 33, 1040 Brussels", "the Council of State's address"),
    (r"Rue de Louvain 48 box 6, 1000 Brussels", "the Federal Ombudsman's address"),
    # The accessibility statement cites the law and the standard it follows.
    (r"law of 19 July 2018", "the Belgian law on accessible public sector websites"),
    (r"EN 301 549 \(WCAG 2\.1, level AA\)", "the European accessibility standard"),
    # The appeal to the Council of State: 60 days, fixed by its organic law (coordinated laws
    # of 12 January 1973, art. 14, and the Regent's decree of 23 August 1948, art. 4).
    (r"within 60 days of the day you received this letter", "law on the Council of State"),
    (r"does not extend the 60 days", "law on the Council of State"),
    # What an identifier or a file looks like (formats fixed by the register, KBO/BCE, bpost,
    # RFC 6238 authenticator apps, Unicode, FIPS 180-4).
    (r"\b1[01] digits\b", "length of a national register / enterprise number"),
    (r"\b(?:4|four) digits\b", "length of a Belgian postcode"),
    (r"\b6-digit code\b", "length of an authenticator code"),
    (r"starts with 0 or 1", "the enterprise number's first digit"),
    (r"\bSHA-256\b", "name of a hash function"),
    (r"\bUTF-8\b", "name of a text encoding"),
    (r"\bA4\b", "paper size"),
    # Examples of what to type (invented on purpose, never read as policy).
    (r"0123\.456\.789", "example enterprise number"),
    (r"0470 12 34 56", "example phone number"),
    (r"2008-03-31", "example date"),
    (r"2026-03-14 14:00", "example date and time"),
    (r"Born in 2008", "example cohort name"),
    (r"7K3M-9Q2X-B4HD-R", "example invitation code"),
    (r"\b200(?: or|,) 118\.03\b", "example joint committee numbers"),
    (r"e\.g\. 120\.50", "example amount typed in a form"),
    # Numbered steps and days of a sequence the page itself shows.
    (r"^\d\. ", "step number in a list"),
    (r"^Day [12]$", "first and second day of a two-day selection (from its data)"),
    (r"\b9 or 10 columns\b", "columns of the cohort import file"),
    # Input limits, each the bound of the validator right next to the message.
    (r"\b30 to 2000 characters\b|\bbetween 30 and 2000 characters\b|\bat most 2000 characters\b",
     "length limit of a text field"),
    (r"\bAt least 12 characters\b", "shortest password (NIST SP 800-63B)"),
    (r"\b2 to (?:20|40) (?:lowercase )?letters\b", "length of a code"),
    (r"\bat most 61 days\b", "longest training period the form accepts"),
    (r"\bat most 365 days\b", "days in a year"),
    (r"\bbetween 1 and 60\b", "range of days per year in a sector agreement form"),
    (r"\bbetween 0 and 365 days\b", "range of the notice in a sector agreement form"),
    (r"\bfrom 1 to 1000\b", "range of a capacity field"),
    (r"\b(?:from )?0 to 100\b", "range of a test score"),
    (r"\bat least 1\b", "a capacity is at least one place"),
    (r"\bbetween 0 and\b", "a count starts at zero"),
    # The medical questionnaire's wording (the medical service's question, not a policy).
    (r"in the last 12 months", "wording of a health question"),
    # The two-day selection: the letter and page say so only in the branch for a selection
    # day that has a second date (SelectionDay.second_day).
    (r"takes two days(?: in a row)?", "a two-day selection, from its data"),
    (r"between the two days", "a two-day selection, from its data"),
    (r"clothes for two days", "a two-day selection, from its data"),
    # A passing estimate of how long a click-through takes, not a rule.
    (r"it takes about two minutes", "estimate of a form's length"),
]

# Known figures still typed into pages that other work owns; each is a failure to fix there.
PENDING: dict[str, str] = {}

NUMBER_WORDS = (r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
                r"twenty|thirty|sixty)")
UNITS = r"(?:working\s+)?(?:days?|hours?|weeks?|months?|years?|places?|selection\s+days?|nights?)"
COUNTED = re.compile(rf"\b{NUMBER_WORDS}\s+{UNITS}\b", re.IGNORECASE)
DIGIT = re.compile(r"\d")
ALLOWED_RE = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p, _ in ALLOWED]


def figures_in(text: str) -> list[str]:
    """What is left of a message that looks like a figure typed in."""
    text = PLACEHOLDER.sub(" ", text)
    for pattern in ALLOWED_RE:
        text = pattern.sub(" ", text)
    found = [m.group() for m in COUNTED.finditer(text)]
    found += re.findall(r"[^\s]*\d[^\s]*", text)
    return found


@functools.cache
def _messages() -> list[tuple[str, str]]:
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    method_map = [(p.removeprefix("portal/"), m) for p, m in method_map]
    options_map = {p.removeprefix("portal/"): o for p, o in options_map.items()}
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    return [(f"portal/{filename}:{line}", text)
            for filename, line, message, _c, _ctx in extract_from_dir(
                str(ROOT / "portal"), method_map, options_map, keywords=keywords)
            for text in (message if isinstance(message, tuple) else (message,)) if text]


def test_no_message_prints_a_figure_that_should_be_a_setting():
    found = [f"{where}: {figures!r} in {text[:90]!r}"
             for where, text in _messages()
             if text not in PENDING and (figures := figures_in(text))]
    assert found == [], "figures typed into messages:\n" + "\n".join(found)


def test_pending_figures_are_still_there():
    """The pending list shrinks as the other work lands: an entry nobody prints any more is
    removed, so the list never hides a new message."""
    texts = {text for _where, text in _messages()}
    assert [t for t in PENDING if t not in texts] == []


def _template_prose(source: str) -> str:
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    source = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", " ", source, flags=re.S)
    source = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    source = re.sub(r"<(style|script)\b.*?</\1>", " ", source, flags=re.S | re.I)
    source = re.sub(r"<[^>]*>", " ", source, flags=re.S)
    return re.sub(r"&#?\w+;", " ", source)


def _templates():
    return templates.files(".html", ".txt")


def test_no_template_text_outside_messages_holds_a_figure():
    found = []
    for path in _templates():
        for line in _template_prose(path.read_text()).splitlines():
            if figures := figures_in(line.strip()):
                found.append(f"{path.relative_to(ROOT)}: {figures!r} in {line.strip()[:90]!r}")
    assert found == [], "\n".join(found)


# A message given a number typed into the template: _("...", days=15) or {% trans n=3 %}.
TYPED_VALUE = re.compile(r"\b\w+\s*=\s*-?\d+(?:\.\d+)?\s*[,)%]")


def test_no_template_hands_a_typed_number_to_a_message():
    found = []
    for path in _templates():
        for block in re.findall(r"\{\{.*?\}\}|\{%-?\s*trans\b.*?%\}", path.read_text(),
                                flags=re.S):
            if ("_(" in block or "gettext(" in block or "trans" in block) \
                    and TYPED_VALUE.search(re.sub(r'"[^"]*"|\'[^\']*\'', '""', block)):
                found.append(f"{path.relative_to(ROOT)}: {block[:100]}")
    assert found == [], "\n".join(found)


GETTEXT = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def test_no_python_code_hands_a_typed_number_to_a_message():
    """The same for the Python side: _("... %(days)d days", days=15) prints an invented figure;
    the value must be a name (a setting, a field, a named limit)."""
    found = []
    for path in sorted((ROOT / "portal").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT:
                for keyword in node.keywords:
                    value = keyword.value
                    if isinstance(value, ast.UnaryOp):
                        value = value.operand
                    if isinstance(value, ast.Constant) and type(value.value) in (int, float):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: "
                                     f"{keyword.arg}={value.value}")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_add_no_figure(lang):
    """A translation prints no number its English message does not have."""
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalogue = read_po(fh)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        source = set(re.findall(r"\d+", PLACEHOLDER.sub(" ", " ".join(ids))))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            extra = set(re.findall(r"\d+", PLACEHOLDER.sub(" ", text or ""))) - source
            if extra:
                found.append(f"{sorted(extra)} in {text[:90]!r}")
    assert found == [], "\n".join(found)
