"""Recruiters and administrators give a second factor (TOTP) after their password."""
from __future__ import annotations

import re
import time

import pyotp
import pytest

from portal.accounts import second_factor
from portal.accounts.models import RecoveryCode, User
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories
from tests.support.client import give_second_factor, post_form


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _password(client, user):
    return post_form(client, "/login", {"email": user.email, "password": factories.PASSWORD})


def _enrol(client):
    html = client.get("/account/two-step").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html  # the QR code, drawn inline (no request)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)
    response = post_form(client, "/account/two-step", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page)
    return secret, codes


@pytest.mark.parametrize("role", ["recruiter", "admin"])
def test_staff_without_a_second_factor_are_sent_to_enrolment_first(client, role):
    user = factories.user(role=role, language="en")
    db.session.commit()
    assert _password(client, user).status_code == 302
    for page in ("/staff", "/account", "/admin/audit"):
        response = client.get(page)
        assert response.status_code == 302 and response.location.endswith("/account/two-step")
    secret, codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/staff").status_code == 200
    # Shown once: the page does not show them again, and only hashes are stored.
    assert client.get("/account/two-step/recovery-codes").status_code == 302
    stored = {r.code_hash for r in db.session.scalars(db.select(RecoveryCode))}
    assert stored and not stored & set(codes)
    # The secret itself is stored encrypted (tests/accounts/test_totp_at_rest.py).
    assert second_factor.secret(db.session.get(User, user.id)) == secret


def test_citizens_and_employers_are_not_asked(client):
    for role in ("citizen", "employer"):
        other = client.application.test_client()
        user = factories.user(role=role, language="en")
        db.session.commit()
        _password(other, user)
        assert other.get("/account").status_code == 200


def test_unit_staff_give_a_second_factor_like_other_staff(client):
    """Unit staff read their reservists' records and record attendance: password alone
    is not enough."""
    user = factories.user(role="unit_staff", language="en")
    db.session.commit()
    assert _password(client, user).status_code == 302
    response = client.get("/units")
    assert response.status_code == 302 and response.location.endswith("/account/two-step")
    _enrol(client)
    assert client.get("/account").status_code == 200


def test_an_employer_may_turn_on_two_step_and_is_then_asked_for_a_code(client):
    user = factories.user(role="employer", language="en")
    db.session.commit()
    _password(client, user)
    page = client.get("/account").get_data(as_text=True)
    assert "Turn on two-step verification" in page
    secret, _codes = _enrol(client)
    # The next login asks for a code before the employer space opens.
    other = client.application.test_client()
    other.set_cookie("lang", "en")
    _password(other, user)
    response = other.get("/employer/")
    assert response.status_code == 302 and response.location.endswith("/login/code")
    totp = pyotp.TOTP(secret)
    enrolled = db.session.get(User, user.id)
    db.session.refresh(enrolled)
    step = max(totp.timecode(time.time()), (enrolled.totp_last_step or -1) + 1)
    post_form(other, "/login/code", {"code": totp.generate_otp(step)})
    assert other.get("/employer/").status_code == 200


def test_an_enrolled_recruiter_enters_a_code_after_the_password(app, client):
    user = factories.user(role="recruiter", language="en")
    db.session.commit()
    _password(client, user)
    secret, codes = _enrol(client)
    post_form(client, "/logout", {}, page="/account")

    _password(client, user)
    response = client.get("/staff")
    assert response.location.endswith("/login/code")
    response = post_form(client, "/login/code", {"code": "000000"})
    assert response.status_code == 200 and "This code is not correct." in response.text
    assert client.get("/staff").status_code == 302

    totp = pyotp.TOTP(secret)
    step = max(totp.timecode(time.time()), db.session.get(User, user.id).totp_last_step + 1)
    code = totp.generate_otp(step)
    response = post_form(client, "/login/code", {"code": code})
    assert response.status_code == 302 and response.location.endswith("/staff")
    assert client.get("/staff").status_code == 200

    # The same code cannot be used twice (someone looking over the shoulder).
    other = app.test_client()
    _password(other, user)
    response = post_form(other, "/login/code", {"code": code})
    assert response.status_code == 200 and other.get("/staff").status_code == 302

    # A recovery code works once.
    response = post_form(other, "/login/code", {"code": codes[0].upper()})
    assert response.status_code == 302 and other.get("/staff").status_code == 200
    third = app.test_client()
    _password(third, user)
    assert post_form(third, "/login/code", {"code": codes[0]}).status_code == 200
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
    assert actions.count("accounts.second_factor_failed") == 3
    assert "accounts.second_factor_enrolled" in actions


def test_code_guessing_is_throttled(client):
    user = factories.user(role="admin", language="en")
    db.session.commit()
    _password(client, user)
    _enrol(client)
    post_form(client, "/logout", {}, page="/account")
    _password(client, user)
    statuses = [post_form(client, "/login/code", {"code": f"{n:06d}"}).status_code
                for n in range(6)]
    assert statuses == [200] * 5 + [429]


def test_the_test_helper_completes_a_staff_login(client):
    user = factories.user(role="recruiter")
    db.session.commit()
    _password(client, user)
    give_second_factor(client, user)
    assert client.get("/staff").status_code == 200
