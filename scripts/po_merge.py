"""Git merge driver for gettext catalogues: the union of both sides' messages.

Set up once per clone (the .gitattributes already names the driver):
    git config merge.po.driver "python3 scripts/po_merge.py %O %A %B"
A message changed on one side only takes that side's text; changed on both, ours wins.
The result is written to %A, sorted as scripts/translate.py writes it.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def _read(path: str):
    with open(path, "rb") as fh:
        return read_po(fh)


def merge(base_path: str, ours_path: str, theirs_path: str) -> None:
    base, ours, theirs = _read(base_path), _read(ours_path), _read(theirs_path)
    for message in theirs:
        if not message.id:
            continue
        mine = ours.get(message.id, message.context)
        if mine is None:
            if base.get(message.id, message.context) is None:
                ours[message.id] = message  # added on their side
            continue
        old = base.get(message.id, message.context)
        if old is not None and mine.string == old.string and message.string != old.string:
            mine.string = message.string
            mine.flags = set(message.flags)
        elif message.string and (not mine.string or (
                isinstance(mine.string, tuple) and not all(mine.string))):
            mine.string = message.string
    with Path(ours_path).open("wb") as fh:
        write_po(fh, ours, width=100, sort_output=True, omit_header=False)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    merge(*sys.argv[1:])
