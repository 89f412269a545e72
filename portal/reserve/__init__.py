"""The Reserve: end-of-year choice, pillars, engagements, the training year and its feed."""
from __future__ import annotations


def init_app(app) -> None:
    """Register the Reserve's pages, commands, demo seed, staff tasks and subscriptions."""
    from portal.reserve import handlers

    handlers.connect()
