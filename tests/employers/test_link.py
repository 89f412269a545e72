"""The e-mailed link: single use, expiring, opens or creates the employer account without
a password, opens the one agreement it was sent for, and never makes anyone a member of an
enterprise but an administrator's invitation."""
from datetime import timedelta

import pytest

from portal.accounts.models import User
from portal.employers.models import AccessLink, AgreementContact, EmployerUser
from portal.extensions import db
from portal.models import utcnow
from tests.employers import helpers
from tests.employers.helpers import NUMBERS, employer, hr_user, link_path, proposed_agreement
from tests.support import factories
from tests.support.client import csrf_token, login
from tests.support.mail import last_mail_to


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _proposal_link(client, hr_email="hr@bakkerij.be"):
    """A reservist names their employer; returns (agreement id, link path)."""
    from tests.support.client import post_form

    reservist = helpers.reservist(language="en")
    db.session.commit()
    login(client, reservist)
    post_form(client, "/reserve/employer/", {
        "enterprise_number": NUMBERS[0], "name": "Bakkerij Janssens BV", "hr_email": hr_email})
    with client.session_transaction() as session:
        session.clear()
    return link_path(hr_email)


def _open(client, path, **fields):
    data = {"csrf_token": csrf_token(client, path), "first_name": "Karin", "last_name": "Maes",
            "language": "fr"}
    data.update(fields)
    return client.post(path, data=data)


def test_the_link_creates_an_employer_account_without_password_and_opens_the_agreement(client):
    path = _proposal_link(client)
    page = client.get(path).get_data(as_text=True)
    assert "Bakkerij Janssens BV" in page and "0400.000.086" in page
    assert 'type="password"' not in page
    response = _open(client, path)
    assert response.status_code == 302
    assert "/employer/agreements/" in response.headers["Location"]
    user = db.session.scalar(db.select(User).where(User.email == "hr@bakkerij.be"))
    assert (user.role, user.password_hash, user.language) == ("employer", None, "fr")
    assert user.email_verified_at is not None
    # The contact of this agreement, no member of the enterprise (joining takes approval).
    assert db.session.scalar(db.select(EmployerUser)) is None
    contact = db.session.scalar(db.select(AgreementContact))
    assert contact.user_id == user.id
    # Logged in: the agreement opens.
    assert client.get(response.headers["Location"]).status_code == 200


def test_a_used_link_cannot_be_used_again(client):
    path = _proposal_link(client)
    _open(client, path)
    with client.session_transaction() as session:
        session.clear()
    response = client.get(path)
    assert response.status_code == 400
    assert "already used" in response.get_data(as_text=True)


def test_an_expired_link_is_refused(client):
    path = _proposal_link(client)
    link = db.session.scalar(db.select(AccessLink))
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "hr@bakkerij.be")) is None


def test_a_made_up_link_is_refused(client):
    response = client.get("/employer/link/not-a-real-secret")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_a_link_opened_while_logged_in_as_a_user_of_another_enterprise_is_refused(client,
                                                                               login_as):
    path = _proposal_link(client)
    other = employer(NUMBERS[1], "Garage Dubois SRL")
    stranger = hr_user(other, email="rh@garage.be")
    db.session.commit()
    login_as(stranger)
    response = client.get(path)
    assert response.status_code == 400
    assert "another e-mail address" in response.get_data(as_text=True)
    # Posting is refused too, and the link stays usable for its owner.
    response = client.post(path, data={"csrf_token": csrf_token(client, "/employer/"),
                                       "first_name": "X", "last_name": "Y", "language": "nl"})
    assert response.status_code == 400
    link = db.session.scalar(db.select(AccessLink))
    assert link.used_at is None
    assert db.session.scalar(db.select(EmployerUser).where(
        EmployerUser.user_id == stranger.id, EmployerUser.employer_id != other.id)) is None


def test_the_link_logs_an_existing_employer_account_in_without_asking_anything(client):
    bakery = employer()
    known = hr_user(employer(NUMBERS[1], "Garage Dubois SRL"), email="hr@bakkerij.be")
    proposed_agreement(bakery)  # sends a link to hr@bakkerij.be (dropped by the helper)
    db.session.commit()
    path = _proposal_link(client)
    page = client.get(path).get_data(as_text=True)
    assert "First name" not in page
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    # Still a member of the garage only; the bakery's agreement opens as its contact.
    assert db.session.scalar(db.select(db.func.count()).select_from(EmployerUser).where(
        EmployerUser.user_id == known.id)) == 1
    assert client.get(response.headers["Location"]).status_code == 200
    assert client.get(f"/employer/enterprises/{bakery.id}").status_code == 404


def test_a_link_to_a_citizen_address_is_refused(client):
    factories.user(role="citizen", email="hr@bakkerij.be")
    db.session.commit()
    path = _proposal_link(client)
    response = _open(client, path)
    assert response.status_code == 400
    assert "not an employer account" in response.get_data(as_text=True)


def test_names_are_needed_for_a_new_account(client):
    path = _proposal_link(client)
    response = _open(client, path, first_name="", last_name="")
    assert response.status_code == 400
    assert "first and last name" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(AccessLink)).used_at is None


def test_an_enterprise_admin_invites_a_colleague(client, login_as):
    bakery = employer()
    admin = hr_user(bakery, admin=True)
    db.session.commit()
    login_as(admin)
    page = f"/employer/enterprises/{bakery.id}"
    from tests.support.client import post_form

    response = post_form(client, f"{page}/colleagues", {"email": "Colleague@Bakkerij.be"},
                         page=page)
    assert response.status_code == 302
    assert last_mail_to("colleague@bakkerij.be")
    path = link_path("colleague@bakkerij.be")
    with client.session_transaction() as session:
        session.clear()
    response = _open(client, path)
    assert response.headers["Location"].endswith(page)
    colleague = db.session.scalar(db.select(User).where(User.email == "colleague@bakkerij.be"))
    member = db.session.scalar(db.select(EmployerUser).where(EmployerUser.user_id == colleague.id))
    assert member.employer_id == bakery.id and not member.is_admin


def test_only_an_enterprise_admin_invites_and_addresses_are_checked(client, login_as):
    from tests.support.client import post_form

    bakery = employer()
    hr_user(bakery, admin=True)
    plain = hr_user(bakery, admin=False)
    db.session.commit()
    login_as(plain)
    page = f"/employer/enterprises/{bakery.id}"
    response = post_form(client, f"{page}/colleagues", {"email": "x@bakkerij.be"}, page=page)
    assert response.status_code == 400
    assert "Only an administrator" in response.get_data(as_text=True)
    admin = db.session.scalar(db.select(EmployerUser).where(EmployerUser.is_admin)).user
    login_as(admin)
    response = post_form(client, f"{page}/colleagues", {"email": "x@"}, page=page)
    assert response.status_code == 400
    assert "valid e-mail address" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(AccessLink)) is None


@pytest.mark.parametrize("lang,words", [("nl", "al gebruikt"), ("fr", "déjà été utilisé"),
                                        ("de", "bereits verwendet")])
def test_a_refused_link_speaks_the_visitors_language(client, lang, words):
    path = _proposal_link(client)
    _open(client, path)
    with client.session_transaction() as session:
        session.clear()
    client.set_cookie("lang", lang)
    assert words in client.get(path).get_data(as_text=True)
