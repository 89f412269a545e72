"""`flask users create-staff` and `flask demo seed`."""
from __future__ import annotations

import re

from portal.accounts import demo
from portal.accounts.models import User
from portal.accounts.passwords import verify_password
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support.client import post_form
from tests.support.mail import last_mail_to, links_in, outbox


def _user(email):
    return db.session.scalar(db.select(User).where(User.email == email))


def test_create_staff_without_a_password_emails_a_link(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create-staff", "--email", "Ops@Mil.be", "--role", "admin",
        "--first-name", "Els", "--language", "fr"])
    assert result.exit_code == 0, result.output
    assert "ops@mil.be" in result.output and "e-mailed" in result.output
    user = _user("ops@mil.be")
    assert user.role == "admin" and user.password_hash is None and user.language == "fr"
    message = last_mail_to("ops@mil.be")
    assert message["Subject"] == "Ton compte sur le portail de l'Année de Service Militaire"
    assert any("/reset-password/" in u for u in links_in(message))
    [event] = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "accounts.staff_created")).all()
    assert event.actor_id is None


def test_create_staff_with_a_password_or_a_prompt(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-staff", "--email", "emp@firm.be",
                                 "--role", "employer", "--password", "firm password 2026"])
    assert result.exit_code == 0, result.output
    assert verify_password(_user("emp@firm.be").password_hash, "firm password 2026")
    result = runner.invoke(args=["users", "create-staff", "--email", "rec@mil.be",
                                 "--role", "recruiter", "--prompt"],
                           input="prompted password ok\nprompted password ok\n")
    assert result.exit_code == 0, result.output
    assert verify_password(_user("rec@mil.be").password_hash, "prompted password ok")
    assert outbox() == []


def test_create_staff_refuses_a_weak_password_a_taken_address_and_a_citizen_role(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-staff", "--email", "a@mil.be",
                                 "--role", "admin", "--password", "short"])
    assert result.exit_code != 0 and "Use at least 12 characters." in result.output
    runner.invoke(args=["users", "create-staff", "--email", "a@mil.be", "--role", "admin"])
    result = runner.invoke(args=["users", "create-staff", "--email", "A@mil.be",
                                 "--role", "recruiter"])
    assert result.exit_code != 0 and "already exists" in result.output
    result = runner.invoke(args=["users", "create-staff", "--email", "c@mil.be",
                                 "--role", "citizen"])
    assert result.exit_code != 0 and _user("c@mil.be") is None


def test_demo_seed_creates_each_role_once_and_prints_the_passwords(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    roles = sorted(u.role for u in db.session.scalars(db.select(User)))
    assert roles.count("admin") == 1 and roles.count("recruiter") == 1
    assert roles.count("employer") == 1 and roles.count("citizen") >= 3
    for item in demo.DEMO_USERS:
        assert f"{item.email}" in first.output
        assert verify_password(_user(item.email).password_hash, demo.DEMO_PASSWORD)
    assert demo.DEMO_PASSWORD in first.output and "created: user admin@example.org" in first.output
    assert demo.DEMO_TOTP_SECRET in first.output
    users_after_first = len(db.session.scalars(db.select(User)).all())

    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    assert "Nothing new" in second.output and "created:" not in second.output
    # Other domains' seeds add candidates of their own; a second run adds nobody.
    assert len(db.session.scalars(db.select(User)).all()) == users_after_first
    assert demo.DEMO_PASSWORD in second.output


def test_demo_accounts_can_log_in(app, client):
    app.test_cli_runner().invoke(args=["demo", "seed"])
    response = post_form(client, "/login", {"email": "recruiter@example.org",
                                            "password": demo.DEMO_PASSWORD})
    assert response.location == "/staff"
    # Two-step verification is on, with the printed key; `flask demo code` gives a code.
    assert client.get("/staff").location.endswith("/login/code")
    code = app.test_cli_runner().invoke(args=["demo", "code"]).output.strip()
    assert re.fullmatch(r"\d{6}", code)
    assert post_form(client, "/login/code", {"code": code}).location == "/staff"
    assert client.get("/staff").status_code == 200
