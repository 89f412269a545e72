"""Health answers at rest: encrypted (a database dump alone does not reveal them), readable
by the candidate and medical staff, re-encrypted by `flask privacy rekey-health`."""
from __future__ import annotations

from cryptography.fernet import Fernet

from portal.applications import answers, health
from portal.applications.models import Application, ResultKind, Status, TestResult
from portal.audit import AuditEvent
from portal.extensions import db
from tests.privacy.scene import citizen_with_everything
from tests.support import candidate, factories
from tests.support import review as h
from tests.support.client import download_my_data, login

HEALTH = {"chronic_condition": "yes", "medication": "yes", "recent_injury": "no",
          "sport_limits": "yes"}


def _raw(application_id: int) -> tuple[str, str]:
    return db.session.execute(db.text(
        "SELECT answers, health_answers FROM applications WHERE id = :id"),
        {"id": application_id}).one()


def test_the_health_step_is_not_in_clear_in_the_table_but_the_candidate_reads_it(
        app, client, login_as):
    _user, intake = candidate.ready_to_apply(login_as)
    application_id = candidate.start(client, intake)
    steps = candidate.step_data(intake)
    steps["health"] = HEALTH
    candidate.fill(client, application_id, steps)

    plain, secret = _raw(application_id)
    assert "Kerkstraat" in plain  # the other steps are stored as before
    for text in (plain, secret):
        for field in HEALTH:
            assert field not in text
    assert '"yes"' not in secret and "health" not in plain
    page = client.get(f"/my-application/{application_id}/check").get_data(as_text=True)
    assert "Do you take medication every day?" in page
    assert answers.own(db.session.get(Application, application_id))["health"] == HEALTH


def _counts(output: str) -> dict[str, int]:
    return {line.rsplit(None, 1)[0].strip(): int(line.rsplit(None, 1)[1])
            for line in output.splitlines() if line.strip()}


def _stored_under(app, keys: str, application_ids: list[int]) -> None:
    app.config["HEALTH_DATA_KEYS"] = keys
    for id_ in application_ids:
        application = db.session.get(Application, id_)
        answers.store(application, {"health": HEALTH})
    db.session.commit()


def test_rotating_the_key_old_key_second_rekey_then_the_old_key_can_go(app, monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "HEALTH_DATA_KEYS", old)
    intake = factories.intake()
    apps = [h.application(intake) for _ in range(3)]
    medical = TestResult(application_id=apps[0].id, kind=ResultKind.MEDICAL, passed=False,
                         medical_reason=health.encrypt_text("Knee surgery in May"))
    db.session.add(medical)
    db.session.commit()
    ids = [a.id for a in apps]
    _stored_under(app, old, ids)

    # The new key first, the old one second: everything still reads, new writes use the new.
    monkeypatch.setitem(app.config, "HEALTH_DATA_KEYS", f"{new},{old}")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "rekey-health", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    counts = _counts(result.output)
    assert counts["applications.health_answers re-encrypted"] == 3
    assert counts["test_results.medical_reason re-encrypted"] == 1
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "privacy.health_rekeyed").order_by(AuditEvent.id.desc()))
    assert event.details_dict["applications_health_answers_re-encrypted"] == 3

    again = runner.invoke(args=["privacy", "rekey-health"])
    counts = _counts(again.output)
    assert counts["applications.health_answers re-encrypted"] == 0
    assert counts["applications.health_answers already under the first key"] == 3

    # The old key removed: every answer and reason still opens.
    monkeypatch.setitem(app.config, "HEALTH_DATA_KEYS", new)
    db.session.expire_all()
    for id_ in ids:
        assert answers.own(db.session.get(Application, id_))["health"] == HEALTH
    reason = db.session.get(TestResult, medical.id).medical_reason
    assert health.decrypt_text(reason) == "Knee surgery in May"
    # And the old key alone no longer opens them: they really were re-encrypted.
    monkeypatch.setitem(app.config, "HEALTH_DATA_KEYS", old)
    try:
        health.decrypt_text(_raw(ids[0])[1])
    except health.InvalidToken:
        pass
    else:
        raise AssertionError("still readable with the removed key")


def test_rekey_refuses_plainly_when_a_value_opens_with_no_configured_key(app, monkeypatch):
    intake = factories.intake()
    lost = Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "HEALTH_DATA_KEYS", lost)
    application = h.application(intake)
    answers.store(application, {"health": HEALTH})
    db.session.commit()
    monkeypatch.setitem(app.config, "HEALTH_DATA_KEYS", Fernet.generate_key().decode())
    result = app.test_cli_runner().invoke(args=["privacy", "rekey-health"])
    assert result.exit_code != 0
    assert "opens with none of HEALTH_DATA_KEYS" in result.output
    monkeypatch.setitem(app.config, "HEALTH_DATA_KEYS", lost)
    db.session.expire_all()
    assert answers.own(db.session.get(Application, application.id))["health"] == HEALTH


def test_the_citizens_own_export_holds_their_health_answers_and_medical_reason_in_clear(
        app, client):
    user, _person, app_ = citizen_with_everything(status=Status.TESTS_SCHEDULED)
    h.medically_fit(app_, fit=False, reason="Knee surgery in May")
    login(client, user)
    response = download_my_data(client, "json")
    assert response.status_code == 200
    [exported] = response.json["data"]["applications"]["applications"]
    assert exported["answers"]["health"] == {"chronic_condition": "no", "medication": "yes"}
    [medical] = exported["tests"]
    assert medical["kind"] == "medical" and medical["passed"] is False
    assert medical["reason"] == "Knee surgery in May" and medical["score"] is None
    pdf = download_my_data(client, "pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
