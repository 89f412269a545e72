"""Public pages: home, the service year explained, the language switch."""
from __future__ import annotations

from portal.public import views


def init_app(app) -> None:
    app.register_blueprint(views.bp)
