"""Login through the federal authentication service (FAS: eID, itsme) by OpenID Connect.

Builds on accounts (the account signed in) and invitations (the register person the
identity's national register number links to).
"""
from __future__ import annotations

from portal.identity import views


def init_app(app) -> None:
    app.register_blueprint(views.bp)
