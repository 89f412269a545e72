"""Administrators keep units and needed skills; the demo data include a planned year."""
from __future__ import annotations

from portal.demo import run_seeds
from portal.extensions import db
from portal.reserve.models import Assignment, Engagement, Skill, Unit, UnitMember
from tests.support import factories
from tests.support.client import login, post_form


def test_an_administrator_adds_a_skill_and_a_unit_with_its_staff(app, client):
    admin = factories.user(role="admin")
    staff = factories.user(role="unit_staff")
    db.session.commit()
    login(client, admin)
    response = post_form(client, "/admin/reserve/skills", {
        "code": "cyber", "name_nl": "Cyberbeveiliging", "name_fr": "Cybersécurité",
        "name_de": "Cybersicherheit"})
    assert response.status_code == 302
    again = post_form(client, "/admin/reserve/skills", {
        "code": "cyber", "name_nl": "x", "name_fr": "x", "name_de": "x"})
    assert again.status_code == 422 and "Een andere vaardigheid heeft deze code." in \
        again.get_data(as_text=True)
    skill = db.session.scalar(db.select(Skill))
    response = post_form(client, "/admin/reserve/units/new", {
        "code": "cyb-r", "name": "Cyber Reserve", "pillar": "specialised",
        "province": "brussels", "place": "Evere", "places": "20", "active": "y",
        "skills": [str(skill.id)], "members": [str(staff.id)]})
    assert response.status_code == 302
    unit = db.session.scalar(db.select(Unit))
    assert unit.code == "CYB-R" and [s.code for s in unit.skills] == ["cyber"]
    assert db.session.get(UnitMember, (unit.id, staff.id)) is not None
    bad = post_form(client, "/admin/reserve/units/new", {
        "code": "x", "name": "X", "pillar": "combat", "province": "namur", "places": "-1"})
    assert bad.status_code == 422


def test_demo_seed_includes_a_reservist_with_a_planned_year_and_runs_twice(app):
    run_seeds()
    db.session.commit()
    engagement = db.session.scalar(db.select(Engagement).where(Engagement.status == "active"))
    assert engagement is not None
    assert db.session.scalar(db.select(db.func.count()).select_from(Assignment)) == 3
    report = run_seeds()
    db.session.commit()
    assert not [i for i in report.created_items if "reserve" in i]
