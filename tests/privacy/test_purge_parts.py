"""What the retention schedule removes is exactly what is past its period, counted the same
on a dry run as when it is removed, however many records there are."""
from __future__ import annotations

from datetime import timedelta

from portal import privacy_registry as registry
from portal.drafts import FormDraft
from portal.extensions import db
from portal.invitations.models import Invitation
from portal.models import utcnow
from tests.privacy.test_purge import _counts
from tests.support import factories


def _drafts(ages_in_days):
    now = utcnow()
    db.session.add_all([FormDraft(key_hash=f"k{i}", path="/x", fields="gA",
                                  created_at=now - timedelta(days=age))
                        for i, age in enumerate(ages_in_days)])
    db.session.commit()


def _kept_drafts():
    return sorted(db.session.scalars(db.select(FormDraft.key_hash)).all())


def test_a_dry_run_counts_what_is_past_its_period_and_deletes_nothing(app):
    _drafts([1, 10, 11, 40])
    purge = registry.older(FormDraft.created_at)
    cutoff = utcnow() - timedelta(days=10, hours=1)

    assert purge(cutoff, utcnow(), True) == 2
    assert _kept_drafts() == ["k0", "k1", "k2", "k3"]
    assert purge(cutoff, utcnow(), False) == 2
    assert _kept_drafts() == ["k0", "k1"]


def test_a_purge_larger_than_one_chunk_removes_and_counts_every_record(app):
    _drafts([30, 31, 32, 33, 34, 1])
    old = db.select(FormDraft.id).where(FormDraft.created_at < utcnow() - timedelta(days=7))
    removed = []

    def remove(ids):
        removed.append(len(ids))
        registry.delete_rows(FormDraft, FormDraft.id.in_(ids))

    assert registry.count_or_remove(old, remove, dry_run=True, chunk=2) == 5
    assert removed == []
    assert registry.count_or_remove(old, remove, dry_run=False, chunk=2) == 5
    assert removed == [2, 2, 1]
    assert _kept_drafts() == ["k5"]


def test_an_unused_invitation_goes_the_day_after_its_period_not_on_its_last_day(app):
    days = app.config["RETENTION_DAYS"]["invitations_unused"]
    today = utcnow().date()
    person = factories.person(cohort=factories.cohort())
    for reference, ended in (("LAST-DAY", today - timedelta(days=days)),
                             ("DAY-AFTER", today - timedelta(days=days + 1))):
        db.session.add(Invitation(person_id=person.id, cohort_id=person.cohort_id,
                                  reference=reference, code_hash=reference, expires_on=ended))
    db.session.commit()
    runner = app.test_cli_runner()

    assert _counts(runner.invoke(args=["privacy", "purge", "--dry-run"]).output)[
        "invitations_unused"] == 1
    assert _counts(runner.invoke(args=["privacy", "purge"]).output)["invitations_unused"] == 1
    db.session.expire_all()
    assert db.session.scalars(db.select(Invitation.reference)).all() == ["LAST-DAY"]
