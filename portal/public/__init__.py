"""Public pages: home, the service year explained, the language switch."""
from __future__ import annotations

from portal.domains import Domain
from portal.public import views

DOMAIN = Domain("public", blueprints=(views.bp,))
