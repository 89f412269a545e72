"""A candidate's stored answers: the JSON of the application steps, read safely."""
from __future__ import annotations

import json

from portal.applications.models import Application


def stored(application: Application) -> dict:
    """{step: {field: value}}; an empty dict when nothing (readable) is stored."""
    try:
        data = json.loads(application.answers or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
