"""The demo seed: a small cohort across the four regions, idempotent."""
from __future__ import annotations

from sqlalchemy import func

from portal.demo import run_seeds
from portal.extensions import db
from portal.invitations.demo import DEMO_COHORT, DEMO_PERSONS
from portal.invitations.models import Invitation, Person


def test_demo_seed_creates_a_cohort_in_four_regions_once(app):
    first = run_seeds()
    db.session.commit()
    regions = set(db.session.scalars(db.select(Person.region)))
    assert regions == {"flanders", "wallonia", "brussels", "german"}
    assert db.session.scalar(db.select(func.count()).select_from(Invitation)) == 2
    assert any("invitation code" in item for item in first.created_items)
    assert f"cohort {DEMO_COHORT!r}" in first.created_items

    second = run_seeds()
    db.session.commit()
    assert not [i for i in second.created_items if "person" in i or "cohort" in i]
    assert db.session.scalar(db.select(func.count()).select_from(Person)) == len(DEMO_PERSONS)
