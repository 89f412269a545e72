"""`flask privacy purge` applies the retention schedule: counts, audits, and is idempotent."""
from __future__ import annotations

import json
import os
import time
from datetime import date, timedelta

from portal.accounts.models import User, UserSession
from portal.applications import health
from portal.applications.models import Application, Status
from portal.audit import AuditEvent
from portal.drafts import FormDraft
from portal.extensions import db
from portal.invitations.models import Invitation, Person
from portal.letters.models import Letter
from portal.models import utcnow
from portal.notifications.models import Notification
from tests.privacy.scene import letter
from tests.support import factories
from tests.support import review as rh


def _scene(app):
    """One record of each kind just past its retention period, and one just inside it."""
    days = app.config["RETENTION_DAYS"]
    now = utcnow()
    old_cohort = factories.cohort(expires_on=date.today() - timedelta(days=days[
        "persons_never_signed_up"] + 1))
    new_cohort = factories.cohort()
    gone = factories.person(cohort=old_cohort)       # never signed up, cohort expired long ago
    stays = factories.person(cohort=new_cohort)
    for p in (gone, stays):
        db.session.add(Invitation(person_id=p.id, cohort_id=p.cohort_id,
                                  reference=f"R{p.id}", code_hash=f"h{p.id}",
                                  expires_on=p.cohort.expires_on))
    letter("invitation", person=gone)
    intake = factories.intake()
    closed = rh.application(intake, status=Status.REJECTED, status_changed_at=now - timedelta(
        days=days["applications_closed"] + 1))
    letter("decision", user=db.session.get(User, closed.user_id), subject=closed)
    # What the candidate was told about it goes with the application.
    db.session.add(Notification(user_id=closed.user_id, application_id=closed.id,
                                kind="rejected", key="purge-test"))
    recent = rh.application(intake, status=Status.REJECTED,
                            status_changed_at=now - timedelta(days=5))
    past_medical = rh.application(intake, status=Status.TESTS_PASSED,
                                  answers=json.dumps({"personal": {"x": 1}}),
                                  health_answers=health.encrypt_answers({"medication": "no"}),
                                  status_changed_at=now - timedelta(days=days["health_answers"]
                                                                    + 1))
    letter("acknowledgement", age_days=days["letters"] + 1)
    idle = factories.user("citizen", last_login_at=now - timedelta(
        days=days["accounts_inactive"] + 1))
    db.session.add(AuditEvent(action="old.event", at=now - timedelta(days=days["audit_log"] + 1)))
    stale = now - timedelta(days=days["sessions"] + 1)
    db.session.add_all([
        UserSession(user_id=recent.user_id, key_hash="old", created_at=stale,
                    last_seen_at=stale),
        UserSession(user_id=recent.user_id, key_hash="new", created_at=now, last_seen_at=now),
        FormDraft(key_hash="old", path="/x", fields="gA", created_at=now - timedelta(
            days=days["form_drafts"] + 1)),
        FormDraft(key_hash="new", path="/x", fields="gA", created_at=now),
    ])
    db.session.commit()
    return dict(gone=gone.id, stays=stays.id, closed=closed.id, recent=recent.id,
                past_medical=past_medical.id, idle=idle.id, closed_user=closed.user_id)


def _counts(output: str) -> dict[str, int]:
    counts = {}
    for line in output.splitlines():
        parts = line.split()
        if parts and parts[0] != "total":
            counts[parts[0]] = int(parts[-1])
    return counts


def test_dry_run_counts_and_changes_nothing_then_purge_deletes_then_nothing_left(app):
    ids = _scene(app)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    expected = {"applications_closed": 1, "health_answers": 1, "letters": 1,
                "invitations_unused": 1, "persons_never_signed_up": 1, "accounts_inactive": 1,
                "audit_log": 1, "mail_files": 0, "sessions": 1, "engagements_closed": 0,
                "agreements_closed": 0, "uploaded_proofs": 0, "form_drafts": 1,
                "print_files": 0, "security_screenings": 0}
    assert _counts(dry.output) == expected
    db.session.expire_all()
    assert db.session.get(Person, ids["gone"]) is not None

    done = runner.invoke(args=["privacy", "purge"])
    assert done.exit_code == 0, done.output
    assert _counts(done.output) == expected
    db.session.expire_all()
    assert db.session.get(Person, ids["gone"]) is None
    assert db.session.get(Person, ids["stays"]) is not None
    assert db.session.scalars(db.select(FormDraft.key_hash)).all() == ["new"]
    assert db.session.get(Application, ids["closed"]) is None
    assert db.session.scalars(db.select(Notification)).all() == []
    assert db.session.get(Application, ids["recent"]) is not None
    past_medical = db.session.get(Application, ids["past_medical"])
    assert json.loads(past_medical.answers) == {"personal": {"x": 1}}
    assert past_medical.health_answers is None
    idle = db.session.get(User, ids["idle"])
    assert not idle.active and idle.email.endswith("@erased.invalid")
    # The rejected candidate's account waits for its own inactivity period.
    assert db.session.get(User, ids["closed_user"]).active
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "old.event")) \
        is None
    assert [e.details_dict["counts"]["letters"] for e in db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action.like("privacy.purge%"))
        .order_by(AuditEvent.id))] == [1, 1]
    assert db.session.scalars(db.select(Letter)).all() == []
    assert db.session.scalars(db.select(UserSession.key_hash)).all() == ["new"]

    again = runner.invoke(args=["privacy", "purge"])
    assert set(_counts(again.output).values()) == {0}


def test_old_mail_files_go(app):
    directory = app.config["MAIL_DIR"]
    os.makedirs(directory, exist_ok=True)
    old, new = os.path.join(directory, "1-old.eml"), os.path.join(directory, "2-new.eml")
    for path in (old, new):
        with open(path, "w") as f:
            f.write("Subject: x\n\nx")
    past = time.time() - (app.config["RETENTION_DAYS"]["mail_files"] + 1) * 86400
    os.utime(old, (past, past))
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert _counts(result.output)["mail_files"] == 1
    assert not os.path.exists(old) and os.path.exists(new)


def test_an_application_in_progress_keeps_an_idle_account(app):
    now = utcnow()
    idle = factories.user("citizen", last_login_at=now - timedelta(days=5000))
    rh.application(factories.intake(), status=Status.IN_SERVICE, user=idle)
    db.session.commit()
    app.test_cli_runner().invoke(args=["privacy", "purge"])
    db.session.expire_all()
    assert db.session.get(User, idle.id).active
