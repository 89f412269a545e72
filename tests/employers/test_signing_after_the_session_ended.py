"""An HR user who signs an agreement after their session ended for lack of activity comes
back through a sign-in link to the agreement with the signing form filled in again."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts.models import UserSession
from portal.employers.models import Agreement
from portal.extensions import db
from portal.models import utcnow
from tests.employers.helpers import ADDRESS, employer, hr_user, proposed_agreement
from tests.support import factories
from tests.support.client import csrf_token, login
from tests.support.mail import last_mail_to, links_in, path_of


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def test_a_signature_sent_after_the_idle_limit_comes_back_after_the_sign_in_link(client):
    bakery = employer()
    hr = hr_user(bakery, email="karin@bakkerij.be")
    reservist = factories.user(role="citizen", password=None, email="res@example.be")
    agreement = proposed_agreement(bakery, reservist)
    db.session.commit()
    login(client, hr)
    page = f"/employer/agreements/{agreement.id}"
    token = csrf_token(client, page)
    for record in db.session.scalars(db.select(UserSession)):
        record.last_seen_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    response = client.post(f"{page}/sign", data={
        "csrf_token": token, "name": "Karin Maes", "function": "Head of people",
        "agree": "y", "terms_id": agreement.terms_id, "version": agreement.version,
        "contact_name": "Karin Maes", "contact_function": "Head of people", **ADDRESS})
    assert response.status_code == 302 and "/login" in response.location
    db.session.refresh(agreement)
    assert db.session.get(Agreement, agreement.id).status == "proposed"

    ask = f"/employer/sign-in?next={page}"
    client.post(ask, data={"csrf_token": csrf_token(client, ask),
                           "email": "karin@bakkerij.be"}).close()  # the e-mail leaves then
    [link] = [u for u in links_in(last_mail_to("karin@bakkerij.be")) if "/sign-in/" in u]
    response = client.post(path_of(link), data={"csrf_token": csrf_token(client, path_of(link))})
    assert response.location == page
    html = client.get(page).get_data(as_text=True)
    assert "We kept what you typed; check and send again." in html
    assert 'value="Head of people"' in html
