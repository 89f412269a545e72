"""Where the portal's templates are: the shared folder and the folders domains keep their
own in (a domain's letter kinds, see portal.letters.kinds)."""
from __future__ import annotations

from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "portal"


def folders() -> list[Path]:
    return [PORTAL / "templates", *sorted(PORTAL.glob("*/templates"))]


def files(*suffixes: str) -> list[Path]:
    """Every template file with one of these suffixes (".html", ".txt"), sorted."""
    return sorted(path for folder in folders() for path in folder.rglob("*")
                  if path.suffix in suffixes)
