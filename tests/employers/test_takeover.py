"""The employer space cannot be taken over by naming oneself as an enterprise's HR contact.

The attack: a citizen names an existing enterprise (its number is public) with an HR
address they control, opens the link e-mailed there, and reads the enterprise's other
reservists, their agreements and statements, suspends them, and signs on its behalf. Only a
reservist names an employer; the link opens that one agreement, never the enterprise; joining
it takes an administrator's approval (Defence staff's, after checking with the enterprise,
for the first one), and everyone concerned is told who joined.
"""
from datetime import date

import pytest

from portal.employers.models import (
    Agreement,
    AgreementStatus,
    EmployerUser,
    JoinRequest,
    Nomination,
)
from portal.extensions import db
from portal.reserve.models import EngagementStatus
from tests.employers.helpers import ADDRESS, NUMBERS, employer, hr_user, link_path, signed_agreement
from tests.support import factories
from tests.support import reserve as reserve_support
from tests.support.client import csrf_token, login, post_form
from tests.support.mail import last_mail_to, outbox, text_of

ATTACKER_HR = "hr@attacker.example"


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


@pytest.fixture
def victim(app, calendar):
    """An enterprise with its own HR administrator and a reservist's signed agreement."""
    enterprise = employer(NUMBERS[0], "Brouwerij Victim NV")
    admin = hr_user(enterprise, email="admin@victim.example")
    reservist = factories.user(role="citizen", password=None, email="them@example.be")
    agreement = signed_agreement(enterprise, hr=admin, reservist=reservist)
    db.session.commit()
    return {"enterprise": enterprise, "admin": admin, "agreement": agreement}


def _name_employer(client, user, number=NUMBERS[0], hr_email=ATTACKER_HR):
    login(client, user)
    return post_form(client, "/reserve/employer/", {
        "enterprise_number": number, "name": "Whatever BV", "hr_email": hr_email})


def _open_link_as_new_hr(client, path):
    with client.session_transaction() as session:
        session.clear()
    return client.post(path, data={"csrf_token": csrf_token(client, path),
                                   "first_name": "Eve", "last_name": "Mallory",
                                   "language": "en"})


def _sign(client, agreement_id):
    agreement = db.session.get(Agreement, agreement_id)
    response = post_form(client, f"/employer/agreements/{agreement_id}/sign", {
        "name": "Karin Maes", "function": "Zaakvoerder", "agree": "y",
        "terms_id": agreement.terms_id, "version": agreement.version, **ADDRESS,
        "contact_name": "Karin Maes", "contact_function": "Zaakvoerder"},
        page=f"/employer/agreements/{agreement_id}")
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]


def test_a_citizen_without_an_engagement_cannot_make_the_portal_write_to_an_enterprise(
        client, victim):
    citizen = factories.user(role="citizen", password=None, email="eve@example.be", language="en")
    db.session.commit()
    sent_before = len(outbox())
    response = _name_employer(client, citizen)
    assert response.status_code == 403
    assert "once you apply to the Reserve" in response.get_data(as_text=True)
    assert len(outbox()) == sent_before
    assert db.session.scalar(db.select(Nomination.id).where(
        Nomination.reservist_id == citizen.id)) is None
    # Nor is the page offered in the menu.
    page = client.get("/").get_data(as_text=True)
    assert "/reserve/employer/" not in page


def test_the_attack_end_to_end_gives_one_agreement_and_nothing_of_the_enterprise(
        client, victim):
    # Eve is a reservist (an engagement applied for) and names the victim enterprise with an
    # address she controls.
    eve = factories.user(role="citizen", password=None, email="eve@example.be",
                         first_name="Eve", last_name="Reservist")
    reserve_support.engagement(eve, status=EngagementStatus.APPLIED)
    db.session.commit()
    assert _name_employer(client, eve).status_code == 302
    path = link_path(ATTACKER_HR)
    response = _open_link_as_new_hr(client, path)
    assert response.status_code == 302
    own = db.session.scalar(db.select(Nomination).where(Nomination.reservist_id == eve.id))
    assert own.employer_id == victim["enterprise"].id

    # Not a member of the enterprise: no administrator, no colleague.
    assert db.session.scalar(db.select(EmployerUser.id).where(
        EmployerUser.user_id != victim["admin"].id)) is None
    home = client.get("/employer/").get_data(as_text=True)
    assert "Eve Reservist" in home  # her own agreement
    assert "them@example.be" not in home and victim["agreement"].reservist.full_name not in home

    other = victim["agreement"]
    enterprise_id = victim["enterprise"].id
    year = date.today().year
    for url in (f"/employer/agreements/{other.id}", f"/employer/enterprises/{enterprise_id}",
                f"/employer/enterprises/{enterprise_id}/statements/{year}",
                f"/employer/enterprises/{enterprise_id}/statements/{year}.csv",
                f"/employer/enterprises/{enterprise_id}/statements/{year}.pdf"):
        assert client.get(url).status_code == 404, url
    token = csrf_token(client, "/employer/")
    response = client.post(f"/employer/agreements/{other.id}/suspend",
                           data={"csrf_token": token, "reason": "gotcha"})
    assert response.status_code == 404
    response = client.post(f"/employer/enterprises/{enterprise_id}/colleagues",
                           data={"csrf_token": token, "email": "friend@attacker.example"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(type(other), other.id).status == AgreementStatus.SIGNED


def test_joining_an_enterprise_waits_for_its_administrator_who_sees_who_asks(client, victim):
    eve = factories.user(role="citizen", password=None, email="eve@example.be",
                         first_name="Eve", last_name="Reservist")
    reserve_support.engagement(eve, status=EngagementStatus.APPLIED)
    db.session.commit()
    _name_employer(client, eve)
    _open_link_as_new_hr(client, link_path(ATTACKER_HR))
    own = db.session.scalar(db.select(Nomination).where(
        Nomination.reservist_id == eve.id)).employer
    assert db.session.scalar(db.select(JoinRequest.id)) is None
    agreement_id = db.session.scalar(db.select(Agreement.id).where(
        Agreement.reservist_id == eve.id))
    _sign(client, agreement_id)
    page = client.get(f"/employer/agreements/{agreement_id}").get_data(as_text=True)
    assert "Ask for access" in page
    page_url = f"/employer/agreements/{agreement_id}"
    response = post_form(client, f"{page_url}/join", {"join-function": "HR manager"},
                         page=page_url)
    assert response.status_code == 302
    # The administrator is told who asks, and through which reservist.
    mail = text_of(last_mail_to("admin@victim.example"))
    assert "Eve Mallory" in mail and ATTACKER_HR in mail and "Eve Reservist" in mail
    assert db.session.scalar(db.select(EmployerUser.id).where(
        EmployerUser.user_id != victim["admin"].id)) is None

    # The administrator refuses: still no access to the enterprise.
    login(client, victim["admin"])
    request_id = db.session.scalar(db.select(JoinRequest.id))
    page = client.get(f"/employer/enterprises/{own.id}").get_data(as_text=True)
    assert "Eve Mallory" in page and "Named as HR contact by the reservist Eve Reservist" in page
    response = post_form(client, f"/employer/enterprises/{own.id}/join-requests/"
                                 f"{request_id}/refuse", {}, page=f"/employer/enterprises/{own.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(JoinRequest, request_id).status == "refused"
    assert "refused" in text_of(last_mail_to(ATTACKER_HR))
    assert db.session.scalar(db.select(EmployerUser.id).where(
        EmployerUser.user_id != victim["admin"].id)) is None


def test_the_first_administrator_of_an_enterprise_is_approved_by_defence_after_a_check(
        client, app, calendar):
    reservist = factories.user(role="citizen", password=None, email="an@example.be", language="en",
                               first_name="An", last_name="Peeters")
    engagement = reserve_support.engagement(reservist, status=EngagementStatus.ACTIVE)
    assert engagement.id
    defence = factories.user(role="admin", language="en")
    db.session.commit()
    _name_employer(client, reservist, number=NUMBERS[2], hr_email="karin@bakkerij.be")
    _open_link_as_new_hr(client, link_path("karin@bakkerij.be"))
    agreement_id = db.session.scalar(db.select(Agreement.id))
    # The contact signs the agreement sent to her.
    _sign(client, agreement_id)
    post_form(client, f"/employer/agreements/{agreement_id}/join",
              {"join-function": "Zaakvoerder"}, page=f"/employer/agreements/{agreement_id}")
    request_id = db.session.scalar(db.select(JoinRequest.id))

    login(client, defence)
    page = client.get("/admin/employers/join-requests").get_data(as_text=True)
    assert "karin@bakkerij.be" in page and "0400.000.284" in page and "An Peeters" in page
    # Not without saying how the enterprise was checked.
    response = post_form(client, f"/admin/employers/join-requests/{request_id}/approve",
                         {"note": ""}, page="/admin/employers/join-requests")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(JoinRequest, request_id).status == "pending"
    response = post_form(client, f"/admin/employers/join-requests/{request_id}/approve",
                         {"verified_by": "phone",
                          "note": "Called the number in the KBO; spoke to the owner."},
                         page="/admin/employers/join-requests")
    assert response.status_code == 302
    db.session.expire_all()
    member = db.session.scalar(db.select(EmployerUser))
    assert member is not None and member.is_admin
    assert "now an HR user" in text_of(last_mail_to("karin@bakkerij.be"))
    # The reservist whose agreement she will read is told who joined.
    told = text_of(last_mail_to("an@example.be"))
    assert "Eve Mallory" in told and "karin@bakkerij.be" in told and "is now an HR user" in told


def test_a_reservist_cannot_name_their_own_address_as_hr_contact(client, calendar):
    eve = factories.user(role="citizen", password=None, email="eve@example.be", language="en")
    reserve_support.engagement(eve, status=EngagementStatus.APPLIED)
    db.session.commit()
    response = _name_employer(client, eve, hr_email="EVE@example.be")
    assert response.status_code == 400
    assert "not your own" in response.get_data(as_text=True)


def test_nominations_are_limited_per_account_and_day(client, app, calendar):
    eve = factories.user(role="citizen", password=None, email="eve@example.be", language="en")
    reserve_support.engagement(eve, status=EngagementStatus.APPLIED)
    db.session.commit()
    app.config["EMPLOYER_CONTACT_DAILY_LIMIT"] = "2 per day"
    try:
        codes = []
        for i in range(3):
            # From another address each time: the per-address limit does not help here.
            login(client, eve)
            client.environ_base["REMOTE_ADDR"] = f"198.51.100.{i + 1}"
            codes.append(post_form(client, "/reserve/employer/", {
                "enterprise_number": NUMBERS[i], "name": "Whatever BV",
                "hr_email": f"hr{i}@x.example"}).status_code)
    finally:
        app.config["EMPLOYER_CONTACT_DAILY_LIMIT"] = "20 per day"
        client.environ_base.pop("REMOTE_ADDR", None)
    assert codes == [302, 302, 429]
