"""The page where a reservist gets the calendar address: a subscribe link, a field to copy
from (with a copy button for browsers with script), a QR code for the phone, how-tos for
the common calendar apps in the reservist's language, and a renewal that first says the old
address stops working."""
from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pytest

from portal.accounts.models import User
from portal.extensions import db
from portal.reserve import feed
from portal.reserve.models import EngagementStatus
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.client import login


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def reservist(app):
    def make(language: str) -> User:
        unit = helpers.unit()
        engagement = helpers.engagement(factories.user(language=language),
                                        status=EngagementStatus.ACTIVE, unit=unit)
        helpers.assignment(helpers.period(unit), engagement)
        user = db.session.get(User, engagement.user_id)
        db.session.commit()
        return user
    return make


HOW_TO = {"en": ("Google Calendar", "Apple Calendar", "Outlook", "Thunderbird",
                 "Subscribe in my calendar app", "Copy address"),
          "nl": ("Google Agenda", "Apple Agenda", "Outlook", "Thunderbird",
                 "Abonneren in mijn agenda-app", "Adres kopiëren"),
          "fr": ("Google Agenda", "Calendrier d'Apple", "Outlook", "Thunderbird",
                 "M'abonner dans mon agenda", "Copier l'adresse"),
          "de": ("Google Kalender", "Apple Kalender", "Outlook", "Thunderbird",
                 "In meiner Kalender-App abonnieren", "Adresse kopieren")}


@pytest.mark.parametrize("language", sorted(HOW_TO))
def test_a_new_address_comes_with_subscribe_link_copy_field_qr_and_how_tos(
        app, client, reservist, language):
    user = reservist(language)
    login(client, user)
    page = client.get("/reserve/calendar").get_data(as_text=True)
    client.post("/reserve/calendar/renew", data={"csrf_token": _csrf(page)})
    shown = client.get("/reserve/calendar")
    assert "no-store" in shown.headers["Cache-Control"]  # Back after logging out: gone
    page = shown.get_data(as_text=True)
    https = re.search(r'<input id="feed-link" type="text" readonly value="([^"]+)"',
                      page).group(1)
    token = https.rsplit("/", 1)[1].removesuffix(".ics")
    assert https == f"http://portal.test/reserve/feed/{token}.ics"
    assert f'href="webcal://portal.test/reserve/feed/{token}.ics"' in page
    assert re.search(r'<button type="button"[^>]*data-copy="feed-link"[^>]*hidden>', page)
    qr = re.search(r'<img src="(data:image/svg\+xml[^"]+)" alt="([^"]+)"', page)
    assert qr and "<path" in unquote(qr.group(1))
    for text in HOW_TO[language]:
        assert text in html.unescape(page), text
    assert client.get(f"/reserve/feed/{token}.ics").status_code == 200
    # Shown once: the next visit names no address at all.
    assert token not in client.get("/reserve/calendar").get_data(as_text=True)


def test_renewing_an_address_says_first_that_the_old_one_stops(app, client, reservist):
    user = reservist("nl")
    old = feed.renew(user)
    db.session.commit()
    login(client, user)
    page = client.get("/reserve/calendar").get_data(as_text=True)
    assert 'href="/reserve/calendar/renew"' in page
    # A post without the yes (an old page, a double click) only leads to the question.
    response = client.post("/reserve/calendar/renew", data={"csrf_token": _csrf(page)})
    assert response.headers["Location"].endswith("/reserve/calendar/renew")
    assert client.get(f"/reserve/feed/{old}.ics").status_code == 200
    confirm = client.get("/reserve/calendar/renew").get_data(as_text=True)
    assert "stopt meteen" in confirm
    client.post("/reserve/calendar/renew",
                data={"csrf_token": _csrf(confirm), "confirmed": "yes"})
    assert client.get(f"/reserve/feed/{old}.ics").status_code == 404
    page = client.get("/reserve/calendar").get_data(as_text=True)
    assert re.search(r'value="http://portal.test/reserve/feed/[^"]+\.ics"', page)
