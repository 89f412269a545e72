"""Two-step verification secrets at rest: encrypted under TOTP_KEYS (a database dump and a
password are not enough to produce codes), still good for logging in, and re-encrypted
under a new key by `flask privacy rekey-totp`."""
from __future__ import annotations

import re

import pyotp
import pytest
from cryptography.fernet import Fernet, InvalidToken

from portal.accounts import second_factor
from portal.accounts.models import User
from portal.audit import AuditEvent
from portal.extensions import db
from tests.conftest import TEST_HEALTH_KEY, TEST_TOTP_KEY
from tests.support import factories
from tests.support.client import give_second_factor, post_form


def _raw(user_id: int) -> str | None:
    return db.session.execute(db.text("SELECT totp_secret FROM users WHERE id = :id"),
                              {"id": user_id}).scalar()


def _password(client, user):
    return post_form(client, "/login", {"email": user.email, "password": factories.PASSWORD})


def test_the_users_table_never_holds_the_clear_secret_and_the_code_still_logs_in(app, client):
    user = factories.user(role="recruiter", language="en")
    db.session.commit()
    _password(client, user)
    html = client.get("/account/two-step").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', html).group(1)

    # Pending: the table holds a token only the TOTP key opens, not the health key.
    pending = _raw(user.id)
    assert secret not in pending and pending.startswith("gAAAAA")
    assert Fernet(TEST_TOTP_KEY).decrypt(pending.encode()).decode() == secret
    with pytest.raises(InvalidToken):
        Fernet(TEST_HEALTH_KEY).decrypt(pending.encode())
    # A second visit shows the same pending secret (decrypted, not a new one).
    again = client.get("/account/two-step").get_data(as_text=True)
    assert f'id="totp-secret">{secret}<' in again

    response = post_form(client, "/account/two-step", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    enrolled = _raw(user.id)
    assert secret not in enrolled and enrolled.startswith("gAAAAA")
    assert Fernet(TEST_TOTP_KEY).decrypt(enrolled.encode()).decode() == secret

    # Logging in again with a code from the authenticator app works.
    post_form(client, "/logout", {}, page="/account")
    other = app.test_client()
    _password(other, user)
    assert other.get("/staff").location.endswith("/login/code")
    give_second_factor(other, user)
    assert other.get("/staff").status_code == 200
    assert secret not in _raw(user.id)


def test_the_model_refuses_a_clear_secret():
    with pytest.raises(ValueError, match="never the clear secret"):
        User(email="x@mil.be", totp_secret=pyotp.random_base32())
    user = User(email="y@mil.be")
    with pytest.raises(ValueError, match="never the clear secret"):
        user.totp_secret = "JBSWY3DPEHPK3PXP"


def _counts(output: str) -> dict[str, int]:
    return {line.rsplit(None, 1)[0].strip(): int(line.rsplit(None, 1)[1])
            for line in output.splitlines() if line.strip()}


def test_rotating_the_key_new_key_first_rekey_then_the_old_key_can_go(app, client,
                                                                      monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "TOTP_KEYS", old)
    secrets = [pyotp.random_base32() for _ in range(3)]
    staff = [factories.user(role="recruiter", language="en", totp=s) for s in secrets]
    factories.user(role="citizen")  # no secret: nothing to re-encrypt
    db.session.commit()
    ids = [u.id for u in staff]

    # The new key first, the old one second: every secret still opens.
    monkeypatch.setitem(app.config, "TOTP_KEYS", f"{new},{old}")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "rekey-totp", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    counts = _counts(result.output)
    assert counts == {"users.totp_secret re-encrypted": 3,
                      "users.totp_secret already under the first key": 0}
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "privacy.totp_rekeyed").order_by(AuditEvent.id.desc()))
    assert event.details_dict["users_totp_secret_re-encrypted"] == 3

    again = _counts(runner.invoke(args=["privacy", "rekey-totp"]).output)
    assert again["users.totp_secret re-encrypted"] == 0
    assert again["users.totp_secret already under the first key"] == 3

    # The old key removed: every secret still opens, and a code still logs in.
    monkeypatch.setitem(app.config, "TOTP_KEYS", new)
    db.session.expire_all()
    assert [second_factor.secret(db.session.get(User, i)) for i in ids] == secrets
    _password(client, staff[0])
    give_second_factor(client, staff[0])
    assert client.get("/staff").status_code == 200
    # And the old key alone no longer opens them: they really were re-encrypted.
    for id_ in ids:
        with pytest.raises(InvalidToken):
            Fernet(old).decrypt(_raw(id_).encode())


def test_rekey_refuses_plainly_when_a_secret_opens_with_no_configured_key(app, monkeypatch):
    lost = Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "TOTP_KEYS", lost)
    user = factories.user(role="admin", totp=pyotp.random_base32())
    db.session.commit()
    stored = _raw(user.id)
    monkeypatch.setitem(app.config, "TOTP_KEYS", Fernet.generate_key().decode())
    result = app.test_cli_runner().invoke(args=["privacy", "rekey-totp"])
    assert result.exit_code != 0
    assert "opens with none of TOTP_KEYS" in result.output
    assert _raw(user.id) == stored


def test_a_secret_whose_key_is_gone_refuses_codes_but_recovery_codes_still_work(
        app, client, monkeypatch):
    user = factories.user(role="recruiter", language="en")
    db.session.commit()
    _password(client, user)
    give_second_factor(client, user)  # enrols
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>",
                       client.get("/account/two-step/recovery-codes").get_data(as_text=True))
    secret = second_factor.secret(db.session.get(User, user.id))
    post_form(client, "/logout", {}, page="/account")

    monkeypatch.setitem(app.config, "TOTP_KEYS", Fernet.generate_key().decode())
    _password(client, user)
    response = post_form(client, "/login/code", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200 and client.get("/staff").status_code == 302
    response = post_form(client, "/login/code", {"code": codes[0]})
    assert response.status_code == 302 and client.get("/staff").status_code == 200
