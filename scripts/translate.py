"""Catalogue upkeep: list what is untranslated, apply translations from a JSON file.

    python scripts/translate.py todo > todo.json     # {msgid: {"nl": "", "fr": "", "de": ""}}
    python scripts/translate.py apply done.json      # fills the .po files, clears fuzzy marks
Plural messages use the singular msgid as key and a list [singular, plural] per language.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("nl", "fr", "de")


def _path(lang: str) -> Path:
    return ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"


def _load(lang: str):
    with _path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def _save(lang: str, catalogue) -> None:
    with _path(lang).open("wb") as fh:
        write_po(fh, catalogue, width=100, sort_output=True, omit_header=False)


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def todo() -> None:
    out: dict[str, dict] = {}
    for lang in LANGS:
        for m in _load(lang):
            if not m.id:
                continue
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            if m.fuzzy or not all(strings):
                entry = out.setdefault(_key(m), {})
                if isinstance(m.id, tuple):
                    entry["_plural"] = m.id[1]
                entry[lang] = "" if not isinstance(m.id, tuple) else ["", ""]
                if m.auto_comments:
                    entry["_comment"] = " ".join(m.auto_comments)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()


def apply(path: str) -> None:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for lang in LANGS:
        catalogue = _load(lang)
        for m in catalogue:
            if not m.id or _key(m) not in data or lang not in data[_key(m)]:
                continue
            value = data[_key(m)][lang]
            if not value:
                continue
            m.string = tuple(value) if isinstance(m.id, tuple) else value
            m.flags.discard("fuzzy")
        _save(lang, catalogue)


if __name__ == "__main__":
    if sys.argv[1:2] == ["todo"]:
        todo()
    elif sys.argv[1:2] == ["apply"] and len(sys.argv) == 3:
        apply(sys.argv[2])
    else:
        sys.exit(__doc__)
