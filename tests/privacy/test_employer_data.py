"""An employer's HR user downloads and erases their own data like a citizen: the enterprises
they act for and the agreements sent to them; the agreements they signed stay, as the
enterprise's commitments, and the erasure page says so."""
from __future__ import annotations

import json

from portal.accounts.models import User
from portal.employers import services
from portal.employers.models import (
    Agreement,
    AgreementContact,
    AgreementStatus,
    EmployerUser,
    JoinRequest,
)
from portal.extensions import db
from tests.employers import helpers as eh
from tests.support import factories
from tests.support.client import download_my_data, login, post_form


def _hr_user():
    bakery = eh.employer(eh.NUMBERS[0], name="Bakkerij Janssens BV")
    hr = factories.user(role="employer", email="karin@bakkerij.be", language="en")
    services.add_member(bakery, hr, admin=True, actor=None)
    signed = eh.signed_agreement(bakery, hr=hr)
    # Also the contact of another enterprise's agreement, asking to join it.
    garage = eh.employer(eh.NUMBERS[1], name="Garage Peeters")
    proposed = eh.proposed_agreement(garage, hr_email="karin@bakkerij.be")
    db.session.add(AgreementContact(agreement_id=proposed.id, user_id=hr.id))
    db.session.add(JoinRequest(employer_id=garage.id, user_id=hr.id, agreement_id=proposed.id,
                               function="HR"))
    db.session.commit()
    return hr, signed


def test_an_hr_user_downloads_their_data(client):
    hr, _signed = _hr_user()
    login(client, hr)
    assert "/account/my-data\"" in client.get("/account").get_data(as_text=True)
    data = json.loads(download_my_data(client, "json").data)["data"]
    access = data["employer_access"]
    assert [e["employer"] for e in access["enterprises"]] == ["Bakkerij Janssens BV"]
    assert [c["employer"] for c in access["contact_of"]] == ["Garage Peeters"]
    assert [r["status"] for r in access["join_requests"]] == ["pending"]
    assert [s["employer"] for s in access["signed"]] == ["Bakkerij Janssens BV"]
    assert download_my_data(client, "pdf").data.startswith(b"%PDF")


def test_an_hr_user_erases_their_access_and_the_signed_agreement_stays(client):
    hr, signed = _hr_user()
    hr_id, signed_id = hr.id, signed.id
    client.set_cookie("lang", "en")
    login(client, hr)
    response = post_form(client, "/account/erase",
                         {"current_password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The agreements you signed" in page
    db.session.expire_all()
    for model in (EmployerUser, AgreementContact, JoinRequest):
        assert db.session.scalar(db.select(model.id).where(model.user_id == hr_id)) is None
    kept = db.session.get(Agreement, signed_id)
    assert kept.status == AgreementStatus.SIGNED and kept.signed_name
    assert db.session.get(User, hr_id).email != "karin@bakkerij.be"
