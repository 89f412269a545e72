"""Confirm it is you: a session whose password confirmation is older than REAUTH_MINUTES (a
copied cookie, a computer left open) makes no sensitive change until the password is given
again; wrong passwords count toward the login's limits; the way back stays on this site."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest

from portal.accounts.models import RecoveryCode, User, UserSession
from portal.audit import AuditEvent
from portal.extensions import db
from portal.models import utcnow
from tests.support import factories
from tests.support.client import confirm_it_is_you, copy_session, login, post_form
from tests.support.mail import last_mail_to, text_of

SECRET = pyotp.random_base32()


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _confirmed_long_ago(app, user):
    """The victim confirmed their password once, longer than REAUTH_MINUTES ago."""
    record = db.session.scalars(db.select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))).one()
    record.reauthenticated_at = utcnow() - timedelta(minutes=app.config["REAUTH_MINUTES"] + 1)
    db.session.commit()


def _stolen(app, client, user):
    """A second browser with a copy of `user`'s session cookie, confirmed long ago."""
    thief = app.test_client()
    copy_session(client, thief)
    thief.set_cookie("lang", "en")
    _confirmed_long_ago(app, user)
    return thief


def _codes(user):
    return set(db.session.scalars(db.select(RecoveryCode.code_hash)
                                  .where(RecoveryCode.user_id == user.id)))


def _actions(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_stolen_session_makes_no_new_recovery_codes_until_the_password_is_given(app, client):
    from portal.accounts import second_factor

    recruiter = factories.user(role="recruiter", totp=SECRET, language="en")
    second_factor.new_recovery_codes(recruiter)
    db.session.commit()
    login(client, recruiter)
    before = _codes(recruiter)
    thief = _stolen(app, client, recruiter)

    response = post_form(thief, "/account/two-step/recovery-codes/new", page="/account/two-step")
    assert response.status_code == 302
    assert response.location.startswith("/account/confirm-password")
    assert "/account/two-step/recovery-codes" not in response.location
    assert _codes(recruiter) == before
    assert "confirm it is you first" in thief.get(response.location).get_data(as_text=True)

    assert confirm_it_is_you(thief).status_code == 302
    response = post_form(thief, "/account/two-step/recovery-codes/new", page="/account/two-step")
    assert response.location == "/account/two-step/recovery-codes"
    shown = re.findall(r"<code>([a-z2-9-]+)</code>", thief.get(response.location).text)
    assert len(shown) == second_factor.RECOVERY_CODES
    assert _codes(recruiter).isdisjoint(before)
    assert _actions("accounts.reauthenticated")[-1].details_dict["method"] == "password"
    assert _actions("accounts.recovery_codes_renewed")


def test_a_stolen_admin_session_resets_no_second_factor_and_changes_no_role(app, client):
    admin = factories.user(role="admin", language="en")
    recruiter = factories.user(role="recruiter", totp=SECRET, email="rec@mil.be")
    db.session.commit()
    login(client, admin)
    thief = _stolen(app, client, admin)
    member = f"/admin/staff/{recruiter.id}"

    reset = post_form(thief, f"{member}/two-step/reset", page=member)
    role = post_form(thief, f"{member}/role", {"role": "admin"}, page=member)
    for response in (reset, role):
        assert response.location.startswith("/account/confirm-password")
    db.session.refresh(recruiter)
    assert recruiter.totp_enabled_at is not None and recruiter.role == "recruiter"

    # Given again, the password opens both (for REAUTH_MINUTES).
    confirm_it_is_you(thief)
    assert post_form(thief, f"{member}/two-step/reset", page=member).location == member
    assert post_form(thief, f"{member}/role", {"role": "admin"}, page=member).location == member
    db.session.refresh(recruiter)
    assert recruiter.totp_enabled_at is None and recruiter.totp_secret is None
    assert recruiter.role == "admin"
    [changed] = _actions("accounts.role_changed")
    assert changed.details_dict == {"before": "recruiter", "after": "admin"}
    assert len(_actions("accounts.second_factor_reset")) == 1
    assert "is now: Administrator" in thief.get(member).get_data(as_text=True)


def test_each_admin_action_waits_for_the_confirmation(app, client):
    admin = factories.user(role="admin", language="en")
    recruiter = factories.user(role="recruiter")
    db.session.commit()
    login(client, admin)
    _confirmed_long_ago(app, admin)
    base = f"/admin/staff/{recruiter.id}"
    for url, data in ((f"{base}/deactivate", {}), (f"{base}/federal-login/unlink", {}),
                      (f"{base}/federal-login", {"national_number": "85073003328"}),
                      ("/admin/staff", {"email": "new@mil.be", "role": "recruiter",
                                        "first_name": "A", "last_name": "B",
                                        "language": "nl"})):
        response = post_form(client, url, data, page="/admin/staff")
        assert response.location.startswith("/account/confirm-password"), url
    db.session.refresh(recruiter)
    assert recruiter.active and recruiter.nn_hash is None
    assert db.session.scalar(db.select(User).where(User.email == "new@mil.be")) is None


def test_a_wrong_password_is_refused_translated_and_counts_toward_the_login_limits(
        app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_FREE_FAILURES", 3)
    user = factories.user(email="anna@example.be", language="nl")
    db.session.commit()
    login(client, user)
    client.set_cookie("lang", "nl")
    for _ in range(3):
        response = confirm_it_is_you(client, "not the password")
        assert response.status_code == 400
        assert "Dit wachtwoord klopt niet." in response.get_data(as_text=True)
    assert len(_actions("accounts.reauthentication_failed")) == 3
    # The account's run of wrong passwords now slows the login form too, and this page.
    refused = post_form(app.test_client(), "/login",
                        {"email": "anna@example.be", "password": factories.PASSWORD})
    assert refused.status_code == 429
    assert confirm_it_is_you(client).status_code == 429


@pytest.mark.parametrize("target", ["https://evil.example/account", "//evil.example/x",
                                    "/\\evil.example"])
def test_the_way_back_after_confirming_stays_on_this_site(client, target):
    login(client, factories.user())
    response = confirm_it_is_you(client, next_url=target)
    assert response.location == "/account"
    assert confirm_it_is_you(client, next_url="/admin/staff?x=1").location == "/admin/staff?x=1"


def test_logging_out_everywhere_ends_the_confirmation(app, client):
    admin = factories.user(role="admin", language="en")
    recruiter = factories.user(role="recruiter")
    db.session.commit()
    login(client, admin)
    confirm_it_is_you(client)
    copy = app.test_client()
    copy_session(client, copy)
    post_form(client, "/account/sessions/end-all", page="/account")
    response = post_form(copy, f"/admin/staff/{recruiter.id}/deactivate", page="/")
    assert "/login" in response.location
    # A new login is a new session: not confirmed.
    login(client, admin)
    response = post_form(client, f"/admin/staff/{recruiter.id}/deactivate", page="/admin/staff")
    assert response.location.startswith("/account/confirm-password")
    db.session.refresh(recruiter)
    assert recruiter.active


def test_an_account_without_a_password_confirms_with_a_mailed_code(app, client):
    user = factories.user(password=None, email="fas@example.be", language="en")
    db.session.commit()
    login(client, user)
    page = client.get("/account/confirm-password").get_data(as_text=True)
    assert "we send a code to fas@example.be" in page
    post_form(client, "/account/confirm-password/code", {"next": "/account/two-step"},
              page="/account/confirm-password")
    mail = last_mail_to("fas@example.be")
    assert mail["Subject"] == "Your code to confirm it is you"
    code = re.search(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", text_of(mail)).group(0)
    wrong = post_form(client, "/account/confirm-password", {"code": "AAAA-AAAA"})
    assert wrong.status_code == 400
    response = post_form(client, "/account/confirm-password?next=/account/two-step",
                         {"code": code})
    assert response.location == "/account/two-step"
    assert _actions("accounts.reauthenticated")[-1].details_dict["method"] == "code"
