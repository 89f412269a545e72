"""Plain words for a signed-in browser on the account page: "Firefox on Windows",
"2 hours ago", read from the stored user-agent string by uap-python's parser."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from flask_babel import format_timedelta
from flask_babel import gettext as _
from ua_parser import parse

from portal.models import utcnow

# Under this, "just now" reads better than a count of seconds.
JUST_NOW = timedelta(minutes=1)


@lru_cache(maxsize=512)
def _families(user_agent: str) -> tuple[str | None, str | None]:
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else None
    system = result.os.family if result.os else None
    return browser, system


def describe(user_agent: str | None) -> str:
    """Like "Chrome Mobile on Android", "Firefox", "A browser on iOS", "An unknown browser"."""
    browser, system = _families((user_agent or "").strip())
    if browser and system:
        # TRANSLATORS: a web browser and the system it runs on, e.g. "Firefox on Windows".
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s", system=system)
    return _("An unknown browser")


def ago(moment: datetime, now: datetime | None = None) -> str:
    """How long ago `moment` was, like "2 hours ago", in the user's language."""
    elapsed = (now or utcnow()) - moment
    if elapsed < JUST_NOW:
        return _("just now")
    return format_timedelta(-elapsed, add_direction=True)
