"""The letter engine knows no domain; its PDF machinery knows neither Flask nor the database."""
from __future__ import annotations

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "portal"
DOMAINS = ("accounts", "invitations", "applications", "reserve", "employers", "privacy")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_letter_engine_imports_no_domain():
    offending = {
        f"{path.relative_to(PORTAL)}: {name}"
        for path in (PORTAL / "letters").rglob("*.py") for name in _imports(path)
        if any(name == f"portal.{d}" or name.startswith(f"portal.{d}.") for d in DOMAINS)}
    assert offending == set()


def test_the_pdf_machinery_imports_neither_flask_nor_the_database():
    offending = {
        f"{path.relative_to(PORTAL)}: {name}"
        for path in (PORTAL / "letters" / "pdf").rglob("*.py") for name in _imports(path)
        if name.split(".")[0] in ("flask", "flask_babel", "flask_sqlalchemy", "sqlalchemy")
        or (name.startswith("portal.") and not name.startswith("portal.letters.pdf"))}
    assert offending == set()
