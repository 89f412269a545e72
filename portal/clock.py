"""The portal's today. The real date, unless the setting `TODAY` fixes the day: an
acceptance or training environment then lives a whole year in an afternoon (the pages, the
letters and the daily commands all act as if it were that day). Refused in production."""
from __future__ import annotations

from datetime import date

from flask import current_app, has_app_context


def today() -> date:
    """The day the portal acts on: `TODAY` when it is set, else the real date."""
    fixed = current_app.config.get("TODAY") if has_app_context() else None
    if not fixed:
        return date.today()
    return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
