"""Registers every domain's `flask` commands."""
from __future__ import annotations

from importlib import import_module

# Modules exposing register(app) for their CLI groups.
CLI_MODULES: tuple[str, ...] = (
    "portal.invitations.cli",
    "portal.accounts.cli",
    "portal.demo",
    "portal.jobs",
    "portal.letters.cli",
    "portal.applications.review_cli",
    "portal.outbox",
)


def register(app) -> None:
    for name in CLI_MODULES:
        import_module(name).register(app)
