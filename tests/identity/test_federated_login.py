"""The federal login (FAS: eID, itsme) end to end against an OpenID provider of the tests'
own on loopback: code flow with PKCE, state and nonce, and every forged answer refused."""
from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.accounts.models import User, UserSession
from portal.extensions import db
from portal.invitations import services as invitations
from portal.invitations.sample import national_number
from tests.identity.provider import Provider
from tests.live import Client, serving
from tests.support import factories
from tests.support.client import confirm_it_is_you, login, post_form
from tests.support.mail import last_mail_to, path_of

NUMBER = national_number(date(2008, 5, 17), 123)


@pytest.fixture
def provider(app):
    op = Provider()
    with serving(op.app) as url:
        op.url = url
        op.claims = {"egovNRN": NUMBER, "given_name": "Lotte", "family_name": "Peeters"}
        saved = {k: app.config[k] for k in ("OIDC_ISSUER", "OIDC_CLIENT_ID",
                                             "OIDC_CLIENT_SECRET")}
        app.config.update(OIDC_ISSUER=url, OIDC_CLIENT_ID=op.client_id,
                          OIDC_CLIENT_SECRET=op.client_secret)
        try:
            yield op
        finally:
            app.config.update(saved)


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _person():
    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    person = factories.person(cohort, birth_date=date(2008, 5, 17), national_number=NUMBER,
                              nn_hash=invitations.nn_hash(NUMBER), first_names="Lotte",
                              last_name="Peeters")
    db.session.commit()
    return cohort, person


def federal_login(client, provider):
    """Press the button, let the provider answer, come back: the portal's last response."""
    response = client.get("/login/fas")
    assert response.status_code == 302 and response.location.startswith(provider.url)
    status, headers, _body = Client("").open(response.location)
    assert status == 302, _body
    assert headers["Location"].startswith("http://portal.test/login/fas/callback?")
    return client.get(path_of(headers["Location"]))


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_without_configuration_there_is_no_button_and_no_route(client):
    assert "eID or itsme" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/fas").status_code == 404


def test_the_request_uses_pkce_state_nonce_and_asks_the_levels(client, provider):
    assert "Log in with eID or itsme" in client.get("/login").get_data(as_text=True)
    location = client.get("/login/fas").location
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) >= 43 and query["state"] and query["nonce"]
    assert query["acr_values"].split() == ["urn:be:fedict:iam:fas:Level450",
                                           "urn:be:fedict:iam:fas:Level500"]
    assert "egovnrn" in query["scope"].split()


def test_a_first_login_links_the_register_person_and_opens_an_account(client, provider):
    _cohort, person = _person()
    response = federal_login(client, provider)
    assert response.location.endswith("/login/fas/account")
    page = client.get("/login/fas/account").get_data(as_text=True)
    assert "Welcome, Lotte Peeters." in page
    response = post_form(client, "/login/fas/account", {"email": "lotte@example.be",
                                                         "language": "nl"})
    assert response.status_code == 302 and response.location == "/my-application"
    user = db.session.scalar(db.select(User).where(User.email == "lotte@example.be"))
    db.session.refresh(person)
    assert user.fas_subject == "fas-subject-1" and person.user_id == user.id
    assert user.password_hash is None
    assert _signed_in(client)
    [record] = db.session.scalars(db.select(UserSession)).all()
    assert record.method == "fas"

    # Next time the same identity signs straight in.
    other = client.application.test_client()
    other.set_cookie("lang", "en")
    assert federal_login(other, provider).location == "/my-application"
    assert _signed_in(other)


def test_the_number_leads_to_the_account_made_with_the_invitation_code(client, provider):
    cohort, person = _person()
    invitation, _code = invitations.issue_invitation(person, cohort, actor=None)
    user = invitations.sign_up_with_invitation(invitation, "lotte@example.be",
                                               factories.PASSWORD, "Lotte", "Peeters", "nl")
    db.session.commit()
    response = federal_login(client, provider)
    assert response.location == "/my-application"
    assert _signed_in(client)
    db.session.refresh(user)
    assert user.fas_subject == "fas-subject-1"


@pytest.mark.parametrize("tamper", ["signature", "audience", "issuer", "expired", "acr",
                                    "nonce"])
def test_forged_or_replayed_answers_are_refused(client, provider, tamper):
    _person()
    if tamper == "nonce":
        # A first, good login gives the attacker a token; then it comes back replayed.
        earlier = client.application.test_client()
        assert federal_login(earlier, provider).location.endswith("/login/fas/account")
    provider.tamper = tamper
    response = federal_login(client, provider)
    assert response.status_code == 302 and response.location.endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert "The login with eID or itsme did not succeed." in page
    assert not _signed_in(client)
    assert db.session.scalar(db.select(db.func.count()).select_from(UserSession)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_a_callback_with_another_state_is_refused(client, provider):
    _person()
    client.get("/login/fas")
    response = client.get("/login/fas/callback?code=abc&state=not-the-one")
    assert response.location.endswith("/login") and not _signed_in(client)


STAFF_NUMBER = national_number(date(1990, 1, 2), 45)


def test_a_recruiter_with_a_linked_federal_login_of_their_own_number_needs_no_totp(
        client, provider):
    recruiter = factories.user(role="recruiter")
    recruiter.fas_subject = "fas-subject-1"
    recruiter.nn_hash = invitations.nn_hash(STAFF_NUMBER)
    db.session.commit()
    provider.claims = {"egovNRN": STAFF_NUMBER}
    response = federal_login(client, provider)
    assert response.location == "/staff"
    assert client.get("/staff").status_code == 200


def test_a_staff_account_refuses_a_federal_identity_of_another_number(client, provider):
    recruiter = factories.user(role="recruiter")
    recruiter.fas_subject = "fas-subject-1"
    recruiter.nn_hash = invitations.nn_hash(STAFF_NUMBER)
    db.session.commit()
    provider.claims = {"egovNRN": national_number(date(1991, 3, 4), 77)}
    response = federal_login(client, provider)
    assert response.location.endswith("/login") and not _signed_in(client)


def test_a_signed_in_citizen_links_the_federal_login_from_the_account_page(client, provider,
                                                                           login_as):
    _cohort, person = _person()
    user = login_as("citizen", language="en", email="lotte@example.be")
    page = client.get("/account").get_data(as_text=True)
    assert "Link eID or itsme to this account" in page
    # A fresh confirmation with the password first.
    response = post_form(client, "/account/federated/link", page="/account")
    assert response.location.startswith("/account/confirm-password")
    assert confirm_it_is_you(client).location == "/account"
    response = post_form(client, "/account/federated/link", page="/account")
    assert response.location == "/login/fas"
    assert federal_login(client, provider).location == "/my-application"
    db.session.refresh(user)
    db.session.refresh(person)
    assert user.fas_subject == "fas-subject-1" and person.user_id == user.id
    page = client.get("/account").get_data(as_text=True)
    assert "eID or itsme is linked to this account" in page
    assert "linked to your account" in last_mail_to("lotte@example.be")["Subject"]
    # And removed again: the federal login's return began a new session, not confirmed yet.
    response = post_form(client, "/account/federated/unlink", page="/account")
    assert response.location.startswith("/account/confirm-password")
    confirm_it_is_you(client)
    post_form(client, "/account/federated/unlink", page="/account")
    db.session.refresh(user)
    assert user.fas_subject is None


def test_a_signed_in_session_links_nothing_without_the_password_confirmation(
        client, provider, login_as):
    user = login_as("citizen", language="en")
    provider.claims = {"egovNRN": national_number(date(1991, 3, 4), 77)}
    response = federal_login(client, provider)
    assert response.location == "/account"
    db.session.refresh(user)
    assert user.fas_subject is None
    response = post_form(client, "/account/federated/link", page="/account")
    assert response.location.startswith("/account/confirm-password")
    assert confirm_it_is_you(client, "not the password").status_code == 400
    response = post_form(client, "/account/federated/link", page="/account")
    assert response.location.startswith("/account/confirm-password")
    assert federal_login(client, provider).location == "/account"
    db.session.refresh(user)
    assert user.fas_subject is None


def test_attack_a_staff_password_alone_cannot_link_an_eid_that_then_skips_the_second_factor(
        client, provider, app):
    """The attacker knows a recruiter's password (not the second factor) and links their own
    federal identity from the half-signed-in session; the federal login alone must not then
    open the recruiter's account, not even after a password change and "log out everywhere"."""
    recruiter = factories.user(role="recruiter", email="rec@mil.be")
    db.session.commit()
    login(client, recruiter, second_factor=False)  # password only
    provider.claims = {"egovNRN": national_number(date(1995, 6, 7), 11)}  # the attacker's
    # Every route of the half-signed-in session leads to the second factor, the federal
    # login's return included; the link form too.
    response = client.get("/login/fas/callback?code=x&state=y")
    assert "/account/two-step" in response.location
    response = client.post("/account/federated/link",
                           data={"current_password": factories.PASSWORD})
    assert response.status_code == 400 or "/account/two-step" in response.location
    assert "/account/two-step" in client.get("/login/fas").location
    db.session.refresh(recruiter)
    assert recruiter.fas_subject is None
    # With the second factor given, the attacker's identity is still not the recruiter's.
    login(client, recruiter, second_factor=True)
    confirm_it_is_you(client)
    response = post_form(client, "/account/federated/link", page="/account")
    assert response.location == "/login/fas"
    assert federal_login(client, provider).location.endswith("/login")
    db.session.refresh(recruiter)
    assert recruiter.fas_subject is None
    # A federal login alone reaches no staff account.
    with client.session_transaction() as session:
        session.clear()
    response = federal_login(client, provider)
    assert response.location != "/staff"
    assert client.get("/staff").status_code in (302, 403)


def test_staff_link_their_own_eid_once_an_administrator_recorded_their_number(
        client, provider, login_as):
    recruiter = factories.user(role="recruiter", email="rec@mil.be", language="en")
    admin = factories.user(role="admin", email="admin@mil.be", language="en")
    db.session.commit()
    # The administrator records the number (never their own).
    login(client, admin)
    confirm_it_is_you(client)
    page = f"/admin/staff/{recruiter.id}/federal-login"
    response = post_form(client, page, {"national_number": "123"}, page=page)
    assert response.status_code == 400 and "not a valid national register number" in \
        response.get_data(as_text=True)
    response = post_form(client, page, {"national_number": STAFF_NUMBER}, page=page)
    assert response.status_code == 302
    own = f"/admin/staff/{admin.id}/federal-login"
    assert "Another administrator records your own number" in client.get(own).get_data(
        as_text=True)
    db.session.refresh(recruiter)
    assert recruiter.nn_hash and STAFF_NUMBER not in recruiter.nn_hash
    # The recruiter, fully signed in, links an identity carrying that number.
    login(client, recruiter)
    provider.claims = {"egovNRN": STAFF_NUMBER}
    confirm_it_is_you(client)
    post_form(client, "/account/federated/link", page="/account")
    assert federal_login(client, provider).location == "/staff"
    db.session.refresh(recruiter)
    assert recruiter.fas_subject == "fas-subject-1"
    assert "linked to your account" in last_mail_to("rec@mil.be")["Subject"]


@pytest.mark.parametrize("claims_in", ["id_token", "userinfo"])
def test_the_register_person_and_names_come_from_the_id_token_or_from_userinfo(
        client, provider, claims_in):
    """A standard provider returns the number and names from UserInfo only: read them there
    (with the access token) when the ID token lacks them."""
    _cohort, person = _person()
    provider.claims_in = claims_in
    response = federal_login(client, provider)
    assert response.location.endswith("/login/fas/account")
    page = client.get("/login/fas/account").get_data(as_text=True)
    assert "Welcome, Lotte Peeters." in page
    post_form(client, "/login/fas/account", {"email": "lotte@example.be", "language": "en"})
    user = db.session.scalar(db.select(User).where(User.email == "lotte@example.be"))
    db.session.refresh(person)
    assert person.user_id == user.id and user.fas_subject == "fas-subject-1"


def test_userinfo_about_another_subject_is_refused(client, provider):
    _person()
    provider.claims_in = "userinfo"
    provider.tamper = "userinfo_subject"
    response = federal_login(client, provider)
    assert response.location.endswith("/login") and not _signed_in(client)
