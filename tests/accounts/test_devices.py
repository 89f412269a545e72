"""The account page names a signed-in browser the way a person would, in their language."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from portal.accounts.devices import ago, describe
from portal.models import utcnow

ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/126.0.0.0 Mobile Safari/537.36")
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.mark.parametrize(("language", "agent", "expected"), [
    ("en", ANDROID_CHROME, "Chrome Mobile on Android"),
    ("en", WINDOWS_FIREFOX, "Firefox on Windows"),
    ("nl", WINDOWS_FIREFOX, "Firefox op Windows"),
    ("fr", WINDOWS_FIREFOX, "Firefox sur Windows"),
    ("de", WINDOWS_FIREFOX, "Firefox unter Windows"),
    ("en", "curl/8.5.0", "curl"),
    ("en", "", "An unknown browser"),
    ("nl", "", "Een onbekende browser"),
])
def test_a_user_agent_reads_as_a_browser_on_a_system(app, language, agent, expected):
    with app.test_request_context(), force_locale(language):
        assert describe(agent) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "2 hours ago"), ("nl", "2 uur geleden"), ("fr", "il y a 2 heures"),
    ("de", "vor 2 Stunden"),
])
def test_the_last_activity_reads_as_a_time_ago(app, language, expected):
    now = utcnow()
    with app.test_request_context(), force_locale(language):
        assert ago(now - timedelta(hours=2), now) == expected
        assert ago(now - timedelta(seconds=5), now) != ago(now - timedelta(hours=2), now)
