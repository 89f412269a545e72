"""Invitations: cohorts, register-extract import, invitation codes and letters, /start."""
from __future__ import annotations

from portal.invitations.letters import SOURCE
from portal.letters import runs


def init_app(app) -> None:
    runs.register_source(app, SOURCE)
