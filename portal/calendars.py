"""What every iCalendar file of the portal starts with: the product, version, Gregorian
scale and PUBLISH method, and the host its event UIDs end with."""
from __future__ import annotations

from urllib.parse import urlsplit

import icalendar
from flask import current_app


def new_calendar() -> tuple[icalendar.Calendar, str]:
    """An empty published calendar and the host for its events' UIDs."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Belgian Defence//Dienstjaar portal//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    return cal, urlsplit(current_app.config["BASE_URL"]).hostname or "dienstjaar"
