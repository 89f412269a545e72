"""The letter kinds, as the domains that send them declare them.

A domain declares each kind of letter it sends once, in its `Domain(letter_kinds=...)`
(portal.domains): its template (kept with the domain, in its `templates/letters/`), the
document title a PDF reader shows, the prefix of its references and who reads it. The
engine (rendering, runs, references, the archive) reads the kinds of the app's domains
from here and knows no domain; this module imports none.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from jinja2 import BaseLoader, TemplateNotFound

from portal import domains

# Who reads a kind: a person (addressed informally: tu, je, du) or an enterprise (formally:
# vous, u, Sie, greeting its contact person).
PERSON, ENTERPRISE = "person", "enterprise"


@dataclass(frozen=True)
class Kind:
    """One kind of letter. `template` is the file of its language section, under its
    domain's `templates/letters/` and named after the kind; `title` a lazy string."""

    name: str
    template: Path
    title: Any
    prefix: str | None = None  # of its references ("INV-2709-…"); the name's first letters
    audience: str = PERSON

    def __post_init__(self):
        if self.template.name != f"{self.name}.html" or self.template.parent.name != "letters":
            raise ValueError(f"{self.template} is not templates/letters/{self.name}.html")
        if self.audience not in (PERSON, ENTERPRISE):
            raise ValueError(f"unknown audience {self.audience!r} of {self.name}")

    @classmethod
    def of(cls, domain_file: str, name: str, title, **kw) -> Kind:
        """A kind whose template lies in the domain of `domain_file` (its __init__.py)."""
        return cls(name, Path(domain_file).resolve().parent / "templates" / "letters"
                   / f"{name}.html", title, **kw)

    @property
    def reference_prefix(self) -> str:
        return self.prefix or self.name[:3].upper()


def _kinds() -> dict[str, Kind]:
    """The kinds the app's domains declare, by name."""
    return {kind.name: kind for kind in domains.declared(current_app, "letter_kinds")}


def get(name: str) -> Kind:
    try:
        return _kinds()[name]
    except KeyError:
        raise LookupError(f"no letter kind {name!r} is declared") from None


def reference_prefix(name: str) -> str:
    """The prefix of a kind's references (a kind not declared: its first three letters)."""
    kind = _kinds().get(name)
    return kind.reference_prefix if kind is not None else name[:3].upper()


def title(name: str):
    """The lazy document title of a kind, None for a kind not declared."""
    kind = _kinds().get(name)
    return kind.title if kind is not None else None


def declared() -> list[Kind]:
    return sorted(_kinds().values(), key=lambda kind: kind.name)


def template_file(name: str) -> Path | None:
    """The file of a template named "letters/<file>" kept with a domain: a declared kind's
    own, or a partial next to a declared kind's (the invitation's code box); else None."""
    folder, _, file = name.partition("/")
    if folder != "letters" or "/" in file or not file.endswith(".html"):
        return None
    kinds = _kinds()
    kind = kinds.get(file.removesuffix(".html"))
    if kind is not None:
        return kind.template
    for folder_ in dict.fromkeys(kind.template.parent for kind in kinds.values()):
        if (folder_ / file).is_file():
            return folder_ / file
    return None


class Loader(BaseLoader):
    """Finds "letters/<kind>.html" (and the partials beside it) in the folder of the
    domain that declared the kind."""

    def get_source(self, environment, template):
        path = template_file(template)
        if path is None or not path.is_file():
            raise TemplateNotFound(template)
        mtime = path.stat().st_mtime
        return (path.read_text("utf-8"), str(path),
                lambda: path.is_file() and path.stat().st_mtime == mtime)
