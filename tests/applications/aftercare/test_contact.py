"""A candidate writes to the recruitment team from the page of their application; staff
answer from a queue; both sides see the thread, kept with the application, and the
candidate gets an e-mail when answered. Every page's footer has the contact details of
the settings and links to the privacy notice and the accessibility statement, pages of
their own in every language."""
from __future__ import annotations

import json

import pytest

from portal.accounts.models import User
from portal.applications.models import ApplicationMessage, Status
from portal.extensions import db
from tests.support import factories
from tests.support import review as h
from tests.support.client import download_my_data, login, post_form
from tests.support.mail import last_mail_to, text_of

QUESTION = "Can I bring my own running shoes to the sports test?"
ANSWER = "Yes, bring shoes you have run in before."


def _candidate(login_as):
    user = login_as("citizen", language="en")
    application = h.application(factories.intake(), status=Status.SCREENING, user=user,
                                language="en")
    db.session.commit()
    return user, application


def test_a_message_and_its_answer_are_kept_with_the_application(client, login_as):
    user, application = _candidate(login_as)
    status_url = f"/my-application/{application.id}"
    assert "Messages with the recruitment team" in client.get(status_url).get_data(as_text=True)
    response = post_form(client, f"{status_url}/messages", {"body": QUESTION}, page=status_url,
                         follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Your message is sent to the recruitment team" in text and QUESTION in text

    recruiter = factories.user("recruiter", language="en")
    db.session.commit()
    login(client, recruiter)
    board = " ".join(client.get(f"/review/intakes/{application.intake_id}/dashboard")
                     .get_data(as_text=True).split())
    assert "1 message from a candidate" in board
    queue = client.get("/review/messages").get_data(as_text=True)
    assert application.reference in queue
    detail = f"/review/applications/{application.id}"
    assert QUESTION in client.get(detail).get_data(as_text=True)
    response = post_form(client, f"{detail}/messages", {"body": ANSWER}, page=detail,
                         follow_redirects=True)
    assert "Message sent; the candidate gets an e-mail." in response.get_data(as_text=True)
    assert application.reference not in client.get("/review/messages").get_data(as_text=True)

    mail = last_mail_to(user.email)
    assert "answered your message" in text_of(mail)
    assert f"/my-application/{application.id}" in text_of(mail)
    login(client, db.session.get(User, user.id))
    page = client.get(status_url).get_data(as_text=True)
    assert page.index(QUESTION) < page.index(ANSWER)
    assert [m.from_staff for m in db.session.scalars(db.select(ApplicationMessage))] == [
        False, True]


def test_an_empty_message_is_refused_with_a_message(client, login_as):
    _user, application = _candidate(login_as)
    status_url = f"/my-application/{application.id}"
    response = post_form(client, f"{status_url}/messages", {"body": "  "}, page=status_url)
    assert response.status_code == 400
    assert "Write your message." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(ApplicationMessage)) is None


def test_no_one_writes_into_someone_elses_application(client, login_as):
    _user, application = _candidate(login_as)
    login_as("citizen", language="en")
    response = post_form(client, f"/my-application/{application.id}/messages",
                         {"body": QUESTION}, page="/")
    assert response.status_code == 404


def test_every_page_has_the_contact_details_of_the_settings(app, client):
    app.config["LETTER_EMAIL"] = "werving-test@mil.be"
    try:
        page = client.get("/").get_data(as_text=True)
    finally:
        app.config["LETTER_EMAIL"] = "dienstjaar@mil.be"
    assert 'href="mailto:werving-test@mil.be"' in page
    assert app.config["LETTER_PHONE"] in page
    assert 'href="/privacy"' in page and 'href="/accessibility"' in page


@pytest.mark.parametrize(("language", "privacy", "accessibility"), [
    ("nl", "Privacyverklaring", "Toegankelijkheidsverklaring"),
    ("fr", "Déclaration de confidentialité", "Déclaration d'accessibilité"),
    ("de", "Datenschutzerklärung", "Erklärung zur Barrierefreiheit"),
    ("en", "Privacy notice", "Accessibility statement"),
])
def test_privacy_and_accessibility_pages_in_every_language(app, client, language, privacy,
                                                            accessibility):
    client.set_cookie("lang", language)
    page = client.get("/privacy").get_data(as_text=True)
    assert f"<h1>{privacy}</h1>" in page and app.config["PRIVACY_DPO"] in page
    assert str(app.config["RETENTION_DAYS"]["applications_closed"]) in page
    page = client.get("/accessibility").get_data(as_text=True)
    assert f"<h1>{accessibility}</h1>" in page and app.config["LETTER_EMAIL"] in page


def test_the_thread_is_in_the_data_export_and_goes_with_an_erased_application(client, login_as):
    user, application = _candidate(login_as)
    application.status = Status.WITHDRAWN
    db.session.commit()
    status_url = f"/my-application/{application.id}"
    post_form(client, f"{status_url}/messages", {"body": QUESTION}, page=status_url)
    data = json.loads(download_my_data(client, "json").data)["data"]
    [exported] = data["applications"]["applications"]
    assert exported["messages"][0]["body"] == QUESTION
    response = post_form(client, "/account/erase",
                         {"current_password": factories.PASSWORD, "confirm": "y"},
                         page="/account/erase")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(ApplicationMessage)) is None
