"""The demo data include an enterprise whose HR user is employer@example.org, with a signed
agreement; seeding twice creates nothing new."""
from portal.accounts.models import User
from portal.demo import run_seeds
from portal.employers.models import Agreement, Employer, EmployerUser
from portal.extensions import db


def test_the_demo_enterprise_has_an_hr_user_and_a_signed_agreement(app):
    run_seeds()
    db.session.commit()
    employer = db.session.scalar(db.select(Employer))
    hr = db.session.scalar(db.select(User).where(User.email == "employer@example.org"))
    assert db.session.scalar(db.select(EmployerUser).where(
        EmployerUser.user_id == hr.id, EmployerUser.employer_id == employer.id)).is_admin
    agreement = db.session.scalar(db.select(Agreement))
    assert agreement.status == "signed" and agreement.signed_by_id == hr.id
    report = run_seeds()
    assert not [item for item in report.created_items if "enterprise" in item]
    assert db.session.scalar(db.select(db.func.count()).select_from(Agreement)) == 1
