"""Text from outside (forms, query strings, imported files) without invisible tricks.

NUL and other control characters (PostgreSQL refuses NUL in text; terminals and
spreadsheets act on the others) and bidirectional overrides and isolates (which make a
name read backwards, "Trojan Source") are removed. Tabs and line breaks stay in free
text; `line()` turns them into spaces for one-line values such as names.
"""
from __future__ import annotations

import re

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\t\r\n]+")


def clean(text: str) -> str:
    return _UNSAFE.sub("", text)


def line(text: str) -> str:
    return _BREAKS.sub(" ", clean(text))


class CleanMultiDict(ImmutableMultiDict):
    """Form fields and URL parameters with their values cleaned (files untouched)."""

    def __init__(self, mapping=None):
        if mapping is not None and not hasattr(mapping, "keys"):
            mapping = [(key, clean(value) if isinstance(value, str) else value)
                       for key, value in mapping]
        super().__init__(mapping)


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict
