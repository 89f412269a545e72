"""The letter kinds, as the domains that send them declare them.

A domain declares each kind of letter it sends once, in its `init_app`, with `declare`: its
template (kept with the domain, in its `templates/letters/`), the document title a PDF
reader shows, the prefix of its references and who reads it. The engine (rendering, runs,
references, the archive) reads kinds from here and knows no domain; this module imports
none.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, TemplateNotFound

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

    @classmethod
    def of(cls, domain_file: str, name: str, title, **kw) -> Kind:
        """A kind whose template lies in the domain of `domain_file` (its __init__.py)."""
        return cls(name, Path(domain_file).resolve().parent / "templates" / "letters"
                   / f"{name}.html", title, **kw)

    @property
    def reference_prefix(self) -> str:
        return self.prefix or self.name[:3].upper()


_KINDS: dict[str, Kind] = {}


def declare(*kinds: Kind) -> None:
    """Adds kinds to the registry (again at every app made in one process: the same kind
    replaces itself)."""
    for kind in kinds:
        if kind.template.name != f"{kind.name}.html" or kind.template.parent.name != "letters":
            raise ValueError(f"{kind.template} is not templates/letters/{kind.name}.html")
        if kind.audience not in (PERSON, ENTERPRISE):
            raise ValueError(f"unknown audience {kind.audience!r} of {kind.name}")
        _KINDS[kind.name] = kind


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no letter kind {name!r} is declared") from None


def reference_prefix(name: str) -> str:
    """The prefix of a kind's references (a kind not declared: its first three letters)."""
    kind = _KINDS.get(name)
    return kind.reference_prefix if kind is not None else name[:3].upper()


def title(name: str):
    """The lazy document title of a kind, None for a kind not declared."""
    kind = _KINDS.get(name)
    return kind.title if kind is not None else None


def declared() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def template_file(name: str) -> Path | None:
    """The file of a template named "letters/<file>" kept with a domain: a declared kind's
    own, or a partial next to a declared kind's (the invitation's code box); else None."""
    folder, _, file = name.partition("/")
    if folder != "letters" or "/" in file or not file.endswith(".html"):
        return None
    kind = _KINDS.get(file.removesuffix(".html"))
    if kind is not None:
        return kind.template
    for folder_ in dict.fromkeys(kind.template.parent for kind in _KINDS.values()):
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
