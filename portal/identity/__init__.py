"""Login through the federal authentication service (FAS: eID, itsme) by OpenID Connect.

Builds on accounts (the account signed in) and invitations (the register person the
identity's national register number links to).
"""
from __future__ import annotations

from portal.domains import Domain
from portal.identity import views

DOMAIN = Domain("identity", blueprints=(views.bp,))
