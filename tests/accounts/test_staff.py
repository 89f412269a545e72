"""Staff pages: role guards, creating staff accounts by e-mail link, deactivation."""
from __future__ import annotations

import pytest

from portal.accounts.models import User
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories
from tests.support.client import confirm_it_is_you, post_form, sign_in
from tests.support.mail import last_mail_to, links_in, path_of
from tests.support.matrix import matrix

NEW_STAFF = {"first_name": "Rik", "last_name": "Wouters", "email": "rik.wouters@mil.be",
             "role": "recruiter", "language": "nl"}


def _audit(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()


# page -> the roles that open it; every other role is refused
STAFF_PAGES = {"/staff": {"recruiter", "admin"}, "/admin/staff": {"admin"}}


@pytest.mark.parametrize(("url", "role"), matrix(
    url=STAFF_PAGES, role=("citizen", "employer", "recruiter", "admin")))
def test_staff_pages_by_role(client, login_as, url, role):
    login_as(role)
    assert client.get(url).status_code == (200 if role in STAFF_PAGES[url] else 403)


def test_a_citizen_cannot_create_or_deactivate_staff(client, login_as):
    target = factories.user(role="recruiter")
    login_as("citizen")
    token_page = "/account"
    assert post_form(client, "/admin/staff", NEW_STAFF, page=token_page).status_code == 403
    response = post_form(client, f"/admin/staff/{target.id}/deactivate", {}, page=token_page)
    assert response.status_code == 403
    db.session.refresh(target)
    assert target.active


def test_the_staff_page_lists_tasks_and_the_nav_links_admin_pages(client, login_as):
    login_as("admin")
    page = client.get("/staff").text
    assert 'href="/admin/staff"' in page and "Personeelsaccounts" in page
    login_as("recruiter")
    page = client.get("/staff").text
    assert 'href="/admin/staff"' not in page


def test_an_admin_creates_a_recruiter_who_chooses_a_password_and_lands_on_staff(client, login_as):
    admin = login_as("admin")
    confirm_it_is_you(client)
    response = post_form(client, "/admin/staff", NEW_STAFF)
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "rik.wouters@mil.be"))
    assert user.role == "recruiter" and user.password_hash is None
    [event] = _audit("accounts.staff_created")
    assert event.actor_id == admin.id and event.details_dict["role"] == "recruiter"
    assert "rik.wouters@mil.be" in client.get("/admin/staff").text

    message = last_mail_to("rik.wouters@mil.be")
    assert message["Subject"] == "Je account op het portaal van het Militair Dienstjaar"
    [link] = [path_of(u) for u in links_in(message) if "/reset-password/" in u]
    post_form(client, "/logout", {}, page="/account")
    client.get(link)
    password = "recruiting all year long"
    response = post_form(client, "/reset-password", {"password": password, "confirm": password})
    assert response.status_code == 302
    response = post_form(client, "/login", {"email": "rik.wouters@mil.be", "password": password})
    assert response.location == "/staff"
    db.session.refresh(user)
    assert user.email_verified_at is not None


def test_creating_staff_with_a_taken_address_or_bad_role_is_refused(client, login_as):
    login_as("admin")
    confirm_it_is_you(client)
    factories.user(email="rik.wouters@mil.be")
    db.session.commit()
    response = post_form(client, "/admin/staff", NEW_STAFF)
    assert response.status_code == 400
    assert "Een ander account gebruikt dit e-mailadres al." in response.text
    response = post_form(client, "/admin/staff", {**NEW_STAFF, "email": "x@mil.be",
                                                  "role": "citizen"})
    assert response.status_code == 400 and "Kies een rol." in response.text
    assert db.session.scalar(db.select(User).where(User.email == "x@mil.be")) is None


def test_deactivating_staff_ends_their_session_and_is_audited(app, client, login_as):
    recruiter = factories.user(role="recruiter")
    db.session.commit()
    theirs = app.test_client()
    sign_in(theirs, recruiter)
    assert theirs.get("/staff").status_code == 200
    admin = login_as("admin")
    confirm_it_is_you(client)
    response = post_form(client, f"/admin/staff/{recruiter.id}/deactivate", {},
                         page="/admin/staff")
    assert response.status_code == 302
    assert theirs.get("/staff").status_code == 302
    db.session.refresh(recruiter)
    assert not recruiter.active
    [event] = _audit("accounts.deactivated")
    assert event.actor_id == admin.id and event.object_id == str(recruiter.id)
    response = post_form(theirs, "/login", {"email": recruiter.email,
                                            "password": factories.PASSWORD})
    assert response.status_code == 200

    post_form(client, f"/admin/staff/{recruiter.id}/reactivate", {}, page="/admin/staff")
    db.session.refresh(recruiter)
    assert recruiter.active and len(_audit("accounts.reactivated")) == 1


def test_an_admin_cannot_deactivate_themselves_nor_a_citizen(client, login_as):
    admin = login_as("admin")
    confirm_it_is_you(client)
    citizen = factories.user()
    db.session.commit()
    post_form(client, f"/admin/staff/{admin.id}/deactivate", {}, page="/admin/staff")
    db.session.refresh(admin)
    assert admin.active
    response = post_form(client, f"/admin/staff/{citizen.id}/deactivate", {},
                         page="/admin/staff")
    assert response.status_code == 404
    assert post_form(client, "/admin/staff/99999/deactivate", {},
                     page="/admin/staff").status_code == 404


def test_an_admin_creates_medical_staff_listed_with_their_role(client, login_as):
    login_as("admin", language="en")
    confirm_it_is_you(client)
    response = post_form(client, "/admin/staff", {**NEW_STAFF, "role": "medical_staff",
                                                  "email": "dr.peeters@mil.be"})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "dr.peeters@mil.be"))
    assert user.role == "medical_staff"
    listing = client.get("/admin/staff").text
    assert "dr.peeters@mil.be" in listing and "Medical staff" in listing
