"""`flask users create-staff` and `flask demo seed`."""
from __future__ import annotations

import os
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
    # Two recruiters, so that four eyes (propose, then confirm) can be tried on the demo.
    assert roles.count("admin") == 1 and roles.count("recruiter") == 2
    assert roles.count("employer") == 1 and roles.count("citizen") >= 3
    # The only demo account that reads health answers and records the medical test.
    assert roles.count("medical_staff") == 1
    assert re.search(r"medical@example\.org +medical_staff", first.output)
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


def test_demo_seed_says_where_links_point_and_where_mails_go(app):
    base = app.config["BASE_URL"]
    app.config["BASE_URL"] = "http://127.0.0.1:5123"
    try:
        output = app.test_cli_runner().invoke(args=["demo", "seed"]).output
    finally:
        app.config["BASE_URL"] = base
    assert "point to http://127.0.0.1:5123" in output
    assert f"written as an .eml file in {app.config['MAIL_DIR']}" in output


def test_make_run_on_another_port_gives_links_on_that_port():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "BASE_URL"}
    dry = subprocess.run(["make", "-n", "run", "PORT=5123"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=60, check=False).stdout
    [serve] = [line for line in dry.splitlines() if " run --host " in line]
    assert "--port 5123" in serve
    # The shell line make would run, with `flask` replaced by printing the address.
    echo = serve.split(" .venv/bin/flask")[0] + ' sh -c \'echo "$BASE_URL"\''
    shown = subprocess.run(["sh", "-c", echo], env=env, capture_output=True, text=True,
                           timeout=10, check=False).stdout.strip()
    assert shown == "http://127.0.0.1:5123"
    shown = subprocess.run(["sh", "-c", echo], env={**env, "BASE_URL": "https://x.example"},
                           capture_output=True, text=True, timeout=10, check=False).stdout
    assert shown.strip() == "https://x.example"


def test_create_staff_makes_medical_staff_who_land_on_the_medical_tests(app, client):
    result = app.test_cli_runner().invoke(args=[
        "users", "create-staff", "--email", "dr@mil.be", "--role", "medical_staff",
        "--password", "medical staff password"])
    assert result.exit_code == 0, result.output
    assert _user("dr@mil.be").role == "medical_staff"
    response = post_form(client, "/login", {"email": "dr@mil.be",
                                            "password": "medical staff password"})
    assert response.location == "/medical/"
    # They read special-category data: two-step verification as for recruiters.
    assert client.get("/medical/").location == "/account/two-step"  # set it up first
