"""The session limits and "log out everywhere" hold for every role, not only citizens: a
citizen, a reservist, a recruiter, medical staff, unit staff, an administrator and an
enterprise's HR user each lose a session idle past SESSION_IDLE_MINUTES or older than
SESSION_MAX_HOURS (back to the login page), and each ends a session on another device by
logging out everywhere."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts.models import UserSession
from portal.extensions import db
from portal.models import utcnow
from tests.employers.helpers import employer, hr_user
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.client import csrf_token, session_key

# role -> (how to make the user, a page only that role opens)
ROLES = {
    "citizen": (lambda: factories.user(language="en"), "/my-application"),
    "reservist": (
        lambda: helpers.engagement(factories.user(language="en")).user_id,
        "/reserve/year",
    ),
    "recruiter": (lambda: factories.user(role="recruiter", language="en"), "/review/"),
    "medical_staff": (lambda: factories.user(role="medical_staff", language="en"), "/medical/"),
    "unit_staff": (lambda: factories.user(role="unit_staff", language="en"), "/units"),
    "security_officer": (lambda: factories.user(role="security_officer", language="en"),
                         "/security-screening/"),
    "admin": (lambda: factories.user(role="admin", language="en"), "/admin/audit"),
    "employer": (lambda: hr_user(employer(), email="hr@bakkerij.be"), "/employer/"),
}


def _user(role: str):
    made = ROLES[role][0]()
    if isinstance(made, int):  # the reservist: their engagement gave the account's id
        made = db.session.get(type(factories.user()), made)
    db.session.commit()
    return made


def _browser(app, user):
    browser = app.test_client()
    browser.set_cookie("lang", "en")
    key = session_key(user)
    with browser.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
    return browser


def _page(app, role: str, browser) -> str:
    """The role's own page: it opens now (the set-up is right)."""
    page = ROLES[role][1]
    response = browser.get(page, follow_redirects=False)
    if response.status_code in (301, 308):
        page = response.location
        response = browser.get(page)
    assert response.status_code == 200, (role, page, response.status_code, response.location)
    return page


def _records(user) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(UserSession).where(UserSession.user_id == user.id)))


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("role", sorted(ROLES))
def test_an_idle_session_of_every_role_goes_back_to_the_login_page(app, role):
    user = _user(role)
    browser = _browser(app, user)
    page = _page(app, role, browser)
    [record] = _records(user)
    idle = app.config["SESSION_IDLE_MINUTES"]
    record.last_seen_at = utcnow() - timedelta(minutes=idle + 1)
    db.session.commit()
    assert _sent_to_login(browser.get(page)), role
    assert _records(user)[0].ended_at is not None


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_session_of_every_role_ends_at_the_absolute_limit_however_active(app, role):
    user = _user(role)
    browser = _browser(app, user)
    page = _page(app, role, browser)
    [record] = _records(user)
    record.created_at = utcnow() - timedelta(hours=app.config["SESSION_MAX_HOURS"], minutes=1)
    record.last_seen_at = utcnow()
    db.session.commit()
    assert _sent_to_login(browser.get(page)), role


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_role_logs_out_everywhere_and_the_other_device_is_out(app, role):
    user = _user(role)
    laptop, phone = _browser(app, user), _browser(app, user)
    page = _page(app, role, laptop)
    assert phone.get(page).status_code == 200
    token = csrf_token(laptop, "/account")
    response = laptop.post("/account/sessions/end-all", data={"csrf_token": token})
    assert _sent_to_login(response), role
    assert _sent_to_login(phone.get(page)), role
    assert _sent_to_login(laptop.get(page)), role
    assert all(r.ended_at is not None for r in _records(user))
