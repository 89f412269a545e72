"""An HR user without a password comes back from any later e-mail in one step: the page
asks them to log in, they ask for a sign-in link, and the link signs them in once."""
import re

import pytest

from portal.extensions import db
from tests.employers.helpers import employer, hr_user, signed_agreement
from tests.support.client import csrf_token
from tests.support.mail import last_mail_to, links_in, outbox, path_of

CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def test_from_a_later_e_mail_back_to_the_agreement_without_a_password(client, calendar):
    bakery = employer()
    hr = hr_user(bakery, email="karin@bakkerij.be")
    agreement = signed_agreement(bakery, hr=hr)
    db.session.commit()
    page = f"/employer/agreements/{agreement.id}"
    # The link of a later e-mail: not signed in, so the login page, which offers the way.
    response = client.get(page)
    assert response.status_code == 302 and "/login" in response.location
    login_page = client.get(response.location).get_data(as_text=True)
    assert "Get a sign-in link by e-mail" in login_page
    ask = f"/employer/sign-in?next={page}"
    response = client.post(ask, data={"csrf_token": csrf_token(client, ask),
                                      "email": "Karin@Bakkerij.be"})
    assert response.status_code == 200 and "sign-in link is on its way" in \
        response.get_data(as_text=True)
    response.close()  # the e-mail leaves once the answer has gone out
    [link] = [u for u in links_in(last_mail_to("karin@bakkerij.be")) if "/sign-in/" in u]
    # Opening it (as a mail scanner would) signs nobody in; the button does.
    confirm = client.get(path_of(link))
    assert confirm.status_code == 200 and "karin@bakkerij.be" in confirm.get_data(as_text=True)
    assert client.get(page).status_code == 302
    response = client.post(path_of(link), data={"csrf_token": csrf_token(client, path_of(link))})
    assert response.status_code == 302 and response.location == page
    assert client.get(page).status_code == 200
    # Once only.
    with client.session_transaction() as session:
        session.clear()
    again = client.get(path_of(link))
    assert again.status_code == 400 and "already used" in again.get_data(as_text=True)


def test_an_unknown_or_non_employer_address_gets_the_same_answer_and_no_e_mail(
        client, login_as):
    citizen = login_as("citizen", email="someone@example.be", language="en")
    assert citizen
    with client.session_transaction() as session:
        session.clear()
    before = len(outbox())
    answers = []
    for address in ("nobody@example.be", "someone@example.be"):
        response = client.post("/employer/sign-in", data={
            "csrf_token": csrf_token(client, "/employer/sign-in"), "email": address})
        answers.append(CSRF.sub("", response.get_data(as_text=True).replace(address, "X")))
        response.close()  # what waits for the answer (a stand-in e-mail's deletion) runs now
    assert answers[0] == answers[1]
    assert len(outbox()) == before


def test_a_forged_sign_in_link_is_refused(client):
    response = client.get("/employer/sign-in/not-a-token")
    assert response.status_code == 400
