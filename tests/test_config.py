"""Settings: safe defaults for development, refusals in production."""
from __future__ import annotations

import pytest

from portal import config, create_app
from tests.conftest import TEST_HEALTH_KEY, TEST_OUTBOX_KEY, TEST_TOTP_KEY


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load({"ENV_NAME": "production", "SECRET_KEY": None})


def test_production_refuses_to_start_without_a_key_for_health_data():
    with pytest.raises(RuntimeError, match="HEALTH_DATA_KEYS"):
        config.load({"ENV_NAME": "production", "SECRET_KEY": "x" * 32,
                     "HEALTH_DATA_KEYS": None})


def test_production_refuses_to_start_without_a_key_for_two_step_secrets():
    with pytest.raises(RuntimeError, match="TOTP_KEYS must be set in production"):
        config.load({"ENV_NAME": "production", "SECRET_KEY": "x" * 32,
                     "HEALTH_DATA_KEYS": TEST_HEALTH_KEY, "TOTP_KEYS": None})


def test_production_refuses_to_start_without_a_key_for_the_mail_outbox():
    with pytest.raises(RuntimeError, match="OUTBOX_KEYS must be set in production"):
        config.load({"ENV_NAME": "production", "SECRET_KEY": "x" * 32,
                     "HEALTH_DATA_KEYS": TEST_HEALTH_KEY, "TOTP_KEYS": TEST_TOTP_KEY,
                     "OUTBOX_KEYS": None})


def test_the_two_step_secrets_and_the_health_data_share_no_key():
    with pytest.raises(RuntimeError, match="TOTP_KEYS and HEALTH_DATA_KEYS share a key"):
        config.load({"HEALTH_DATA_KEYS": TEST_HEALTH_KEY,
                     "TOTP_KEYS": f"{TEST_TOTP_KEY},{TEST_HEALTH_KEY}"})
    with pytest.raises(RuntimeError, match="TOTP_KEYS: key 1 is not a Fernet key"):
        config.load({"HEALTH_DATA_KEYS": TEST_HEALTH_KEY, "TOTP_KEYS": "not-a-key"})


def test_a_health_data_key_that_is_not_a_fernet_key_stops_the_start():
    with pytest.raises(RuntimeError, match="key 2 is not a Fernet key"):
        config.load({"HEALTH_DATA_KEYS": f"{TEST_HEALTH_KEY},not-a-key"})


def test_outside_production_a_health_data_key_is_generated_once_and_kept_private(tmp_path):
    instance = tmp_path / "instance"
    first = config.load({"ENV_NAME": "development", "HEALTH_DATA_KEYS": None,
                         "INSTANCE_PATH": str(instance)})
    second = config.load({"ENV_NAME": "development", "HEALTH_DATA_KEYS": None,
                          "INSTANCE_PATH": str(instance)})
    assert first["HEALTH_DATA_KEYS"] == second["HEALTH_DATA_KEYS"]
    assert first["HEALTH_DATA_KEYS"] != TEST_HEALTH_KEY
    assert ((instance / "health_data_key").stat().st_mode & 0o777) == 0o600
    other = config.load({"ENV_NAME": "development", "HEALTH_DATA_KEYS": None,
                         "INSTANCE_PATH": str(tmp_path / "elsewhere")})
    assert other["HEALTH_DATA_KEYS"] != first["HEALTH_DATA_KEYS"]


def test_outside_production_a_two_step_key_of_its_own_is_generated_once(tmp_path):
    instance = tmp_path / "instance"
    unset = {"ENV_NAME": "development", "HEALTH_DATA_KEYS": None, "TOTP_KEYS": None,
             "INSTANCE_PATH": str(instance)}
    first, second = config.load(unset), config.load(unset)
    assert first["TOTP_KEYS"] == second["TOTP_KEYS"] != first["HEALTH_DATA_KEYS"]
    assert ((instance / "totp_key").stat().st_mode & 0o777) == 0o600


def test_production_marks_cookies_secure_and_development_does_not():
    prod = config.load({"ENV_NAME": "production", "SECRET_KEY": "x" * 32,
                        "HEALTH_DATA_KEYS": TEST_HEALTH_KEY, "TOTP_KEYS": TEST_TOTP_KEY,
                        "OUTBOX_KEYS": TEST_OUTBOX_KEY})
    dev = config.load({"ENV_NAME": "development"})
    assert prod["SESSION_COOKIE_SECURE"] and prod["REMEMBER_COOKIE_SECURE"]
    assert not dev["SESSION_COOKIE_SECURE"]
    for cfg in (prod, dev):
        assert cfg["SESSION_COOKIE_HTTPONLY"] and cfg["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_postgres_urls_use_psycopg_3():
    cfg = config.load({"SQLALCHEMY_DATABASE_URI": "postgresql://u@h/db"})
    assert cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_throttle_storage_is_shared_redis_when_redis_is_configured():
    assert config.load({"REDIS_URL": "redis://127.0.0.1:6379/0"})["RATELIMIT_STORAGE_URI"] == (
        "redis://127.0.0.1:6379/0"
    )
    assert config.load({"REDIS_URL": None})["RATELIMIT_STORAGE_URI"] == "memory://"


def _probe_app(database_url, tmp_path, **overrides):
    """A fresh app with one extra route that reports the client address it sees."""
    from flask import request

    from tests.conftest import make_test_config

    app = create_app({**make_test_config(database_url, tmp_path), **overrides})
    seen = {}

    def probe():
        seen["addr"] = request.remote_addr
        return ""

    probe.is_public = True
    app.add_url_rule("/__probe_addr", "probe_addr", probe)
    return app, seen


def test_forged_forwarded_for_is_ignored_without_trusted_proxies(database_url, tmp_path):
    app, seen = _probe_app(database_url, tmp_path)
    app.test_client().get("/__probe_addr", headers={"X-Forwarded-For": "6.6.6.6"})
    assert seen["addr"] == "127.0.0.1"


def test_one_trusted_proxy_takes_the_address_it_reports(database_url, tmp_path):
    app, seen = _probe_app(database_url, tmp_path, TRUSTED_PROXIES=1)
    app.test_client().get("/__probe_addr", headers={"X-Forwarded-For": "6.6.6.6, 7.7.7.7"})
    assert seen["addr"] == "7.7.7.7"


def test_outside_production_a_random_key_is_generated_once_into_a_private_instance_folder(
        tmp_path):
    instance = tmp_path / "instance"
    first = config.load({"ENV_NAME": "development", "SECRET_KEY": None,
                         "INSTANCE_PATH": str(instance)})
    second = config.load({"ENV_NAME": "development", "SECRET_KEY": None,
                          "INSTANCE_PATH": str(instance)})
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) == 64 and "dev-only" not in first["SECRET_KEY"]
    assert (instance.stat().st_mode & 0o777) == 0o700
    assert ((instance / "secret_key").stat().st_mode & 0o777) == 0o600
    other = config.load({"ENV_NAME": "development", "SECRET_KEY": None,
                         "INSTANCE_PATH": str(tmp_path / "elsewhere")})
    assert other["SECRET_KEY"] != first["SECRET_KEY"]


def test_files_the_portal_writes_into_its_instance_folder_are_private(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)
    app = create_app({"ENV_NAME": "development", "SECRET_KEY": None,
                      "INSTANCE_PATH": str(instance),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'portal.sqlite3'}",
                      "MAIL_DIR": str(instance / "mail"), "MAIL_URL": None})
    assert (instance.stat().st_mode & 0o777) == 0o700
    with app.app_context():
        from portal import outbox
        from portal.extensions import db

        db.create_all()
        outbox.send("someone@example.org", "email_changed", "nl", "Test",
                    user={"full_name": "A", "email": "someone@example.org"})
        with db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE probe (x INTEGER)")
        db.engine.dispose()
    written = list((instance / "mail").iterdir()) + [instance / "portal.sqlite3"]
    for path in written:
        assert (path.stat().st_mode & 0o077) == 0, path


def test_the_instance_folder_holds_the_database_mails_runs_and_proofs(tmp_path):
    """INSTANCE_PATH moves every file the portal writes by default, not only its key."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in (
        "DATABASE_URL", "MAIL_DIR", "SMS_DIR", "LETTER_RUN_DIR", "RESERVE_PROOF_DIR")}
    env["INSTANCE_PATH"] = str(tmp_path)
    code = ("import json; from portal.config import Config as C; print(json.dumps(["
            "C.INSTANCE_PATH, C.SQLALCHEMY_DATABASE_URI, C.MAIL_DIR, C.SMS_DIR, "
            "C.LETTER_RUN_DIR, C.RESERVE_PROOF_DIR]))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    paths = json.loads(out)
    assert paths[0] == str(tmp_path)
    assert paths[1] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    assert all(p.startswith(str(tmp_path)) for p in paths[2:]), paths
