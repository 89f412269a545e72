"""Language choice: switch, cookie, Accept-Language, the user's own setting."""
from __future__ import annotations

from portal.extensions import db


def test_home_defaults_to_dutch(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in page


def test_browser_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "fr-BE,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="fr">' in page


def test_query_language_wins_over_browser_and_is_remembered(client):
    response = client.get("/?lang=de", headers={"Accept-Language": "fr"})
    assert '<html lang="de">' in response.get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="de">' in page


def test_unknown_language_falls_back_without_error(client):
    response = client.get("/?lang=xx")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.get_data(as_text=True)


def test_switch_stays_on_the_same_page_and_refuses_other_hosts(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        response = client.post("/language", data={"lang": "fr", "next": "/?x=1"})
        assert response.headers["Location"].endswith("/?x=1")
        response = client.post("/language", data={"lang": "fr", "next": "https://evil.example/"})
        assert "evil" not in response.headers["Location"]
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_signed_in_users_language_is_saved_on_the_account(app, client, login_as):
    user = login_as("citizen", language="nl")
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client.post("/language", data={"lang": "de", "next": "/"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    db.session.refresh(user)
    assert user.language == "de"
    page = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="de">' in page


def test_language_switch_without_csrf_token_is_refused_kindly(client):
    response = client.post("/language", data={"lang": "fr"}, headers={"Accept-Language": "fr"})
    assert response.status_code == 400
    assert "Ta session a expiré" in response.get_data(as_text=True)


def test_a_rejected_application_reads_singular_in_french(app):
    """One application's status, not the import report's rejected rows (a message of its
    own): "Refusée"."""
    from portal import i18n
    from portal.applications.models import Status
    from portal.applications.vocab import STATUS_LABELS

    with i18n.locale("fr"):
        assert str(STATUS_LABELS[Status.REJECTED]) == "Refusée"
