"""Demo data for the recruiter side: submitted applications at every stage of the demo intake.

Statuses are set with their history rows (so the queue, the application page and the
dashboard have something to show) but without letters, to keep `flask demo seed` quick;
every move made from the pages afterwards issues its letter as usual.
"""
from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from portal import clock, regions
from portal.accounts.demo import demo_user
from portal.accounts.models import User
from portal.applications import health, waitlist
from portal.applications.intakes.demo import DEMO_INTAKE
from portal.applications.intakes.models import SelectionDay
from portal.applications.models import (
    Application,
    ApplicationEvent,
    Convocation,
    Decision,
    Intake,
    ResultKind,
    Status,
    TestResult,
)
from portal.applications.vetting.models import SecurityScreening
from portal.extensions import db
from portal.models import utcnow

S = Status
# The path each status was reached by, from submitted.
PATHS = {
    S.SUBMITTED: [],
    S.SCREENING: [("start_screening", S.SCREENING)],
    S.TESTS_SCHEDULED: [("start_screening", S.SCREENING), ("schedule_tests", S.TESTS_SCHEDULED)],
}
PATHS[S.TESTS_PASSED] = PATHS[S.TESTS_SCHEDULED] + [("pass_tests", S.TESTS_PASSED)]
PATHS[S.TESTS_FAILED] = PATHS[S.TESTS_SCHEDULED] + [("fail_tests", S.TESTS_FAILED)]
PATHS[S.WAITLISTED] = PATHS[S.TESTS_PASSED] + [("waitlist", S.WAITLISTED)]
PATHS[S.SELECTED] = PATHS[S.TESTS_PASSED] + [("select", S.SELECTED)]
PATHS[S.OFFER_ACCEPTED] = PATHS[S.SELECTED] + [("accept_offer", S.OFFER_ACCEPTED)]
PATHS[S.REJECTED] = PATHS[S.TESTS_FAILED] + [("reject", S.REJECTED)]

# Their security screening ended favourably (the others' runs or was never asked for).
CLEARED = (S.TESTS_PASSED, S.WAITLISTED, S.SELECTED, S.OFFER_ACCEPTED)

# first name, last name, language, postcode, component, status, days since submitted, score
CANDIDATES = (
    ("Lotte", "Peeters", "nl", "9000", "land", S.SUBMITTED, 2, None),
    ("Thomas", "Lambert", "fr", "5000", "air", S.SUBMITTED, 20, None),
    ("Emma", "Janssens", "nl", "2000", "navy", S.SUBMITTED, 1, None),
    ("Jonas", "Hoffmann", "de", "4700", "land", S.SCREENING, 6, None),
    ("Chloé", "Dupont", "fr", "4000", "land", S.SCREENING, 18, None),
    ("Arne", "Maes", "nl", "3500", "air", S.TESTS_SCHEDULED, 12, None),
    ("Manon", "Simon", "fr", "6000", "land", S.TESTS_SCHEDULED, 11, None),
    ("Wout", "Wouters", "nl", "8000", "land", S.TESTS_PASSED, 25, Decimal("81.50")),
    ("Inès", "Martin", "fr", "1000", "navy", S.TESTS_PASSED, 24, Decimal("74.25")),
    ("Ruben", "Claes", "nl", "3000", "land", S.TESTS_FAILED, 23, Decimal("48.00")),
    ("Sarah", "Willems", "nl", "2800", "land", S.WAITLISTED, 30, Decimal("69.75")),
    ("Hugo", "Dubois", "fr", "1300", "land", S.WAITLISTED, 29, Decimal("72.00")),
    ("Lena", "Mertens", "nl", "9300", "air", S.SELECTED, 31, Decimal("88.00")),
    ("Louis", "Goossens", "nl", "2300", "land", S.OFFER_ACCEPTED, 35, Decimal("90.25")),
    ("Camille", "Lejeune", "fr", "6700", "land", S.REJECTED, 33, Decimal("41.50")),
)


# What the demo candidates answered in the health step (stored encrypted).
HEALTH = {"chronic_condition": "no", "medication": "no", "recent_injury": "yes",
          "sport_limits": "no"}


def _results(application: Application, score: Decimal, passed: bool, recruiter,
             doctor) -> None:
    for i, kind in enumerate(ResultKind):
        if kind == ResultKind.MEDICAL:  # fit or unfit, by medical staff, without a score
            db.session.add(TestResult(application_id=application.id, kind=kind, passed=True,
                                      score=None, recorded_by_id=doctor.id))
            continue
        db.session.add(TestResult(application_id=application.id, kind=kind,
                                  passed=passed or i < 3, score=score,
                                  recorded_by_id=recruiter.id))


def seed_applications(report) -> None:
    """Fifteen candidates of the demo intake, from just submitted to offer accepted."""
    intake = db.session.scalar(db.select(Intake).where(Intake.name == DEMO_INTAKE))
    recruiter, admin = demo_user("recruiter@example.org"), demo_user("admin@example.org")
    doctor = demo_user("medical@example.org") or recruiter
    security = demo_user("security@example.org")
    if intake is None or recruiter is None or admin is None:
        return
    if db.session.scalar(db.select(Application.id).where(
            Application.reference.like("DJ-DEMO-%"))):
        report.existing("demo applications")
        return
    day = SelectionDay(intake_id=intake.id, day=clock.today() + timedelta(days=9),
                       place="Kwartier Koningin Astrid, Bruynstraat 1, 1120 Neder-Over-Heembeek",
                       capacity=40)
    db.session.add(day)
    now = utcnow()
    for n, (first, last, lang, postcode, component, status, ago, score) in enumerate(
            CANDIDATES, start=1):
        user = User(email=f"{first.lower()}.{last.lower()}@demo.example.org".replace("é", "e")
                    .replace("è", "e"), role="citizen", language=lang,
                    first_name=first, last_name=last, email_verified_at=now)
        db.session.add(user)
        db.session.flush()
        info = regions.lookup(postcode)
        submitted = now - timedelta(days=ago)
        application = Application(
            reference=f"DJ-DEMO-{n:04d}", intake_id=intake.id, user_id=user.id,
            status=S.SUBMITTED, first_name=first, last_name=last, language=lang,
            postcode=postcode, province=info.province_code if info else "", component=component,
            answers=json.dumps({"preferences": {"choice_1": component}}),
            health_answers=health.encrypt_answers(HEALTH),
            submitted_at=submitted, status_changed_at=submitted, score=score)
        db.session.add(application)
        db.session.flush()
        db.session.add(ApplicationEvent(application=application, action="submit",
                                        from_status=S.DRAFT, to_status=S.SUBMITTED,
                                        actor_id=user.id, at=submitted))
        previous, at = S.SUBMITTED, submitted
        for action, to_status in PATHS[status]:
            at = min(at + timedelta(days=2), now)
            actor = user if action == "accept_offer" else recruiter
            db.session.add(ApplicationEvent(application=application, action=action,
                                            from_status=previous, to_status=to_status,
                                            actor_id=actor.id, at=at))
            previous = to_status
            if action == "schedule_tests":
                db.session.add(Convocation(application_id=application.id,
                                           selection_day=day, assigned_by_id=recruiter.id))
        application.status, application.status_changed_at = status, at
        if score is not None:
            _results(application, score, status != S.TESTS_FAILED and status != S.REJECTED,
                     recruiter, doctor)
        if status in (S.SELECTED, S.WAITLISTED, S.REJECTED, S.OFFER_ACCEPTED):
            application.decided_at = at
        if status == S.SELECTED:
            application.offer_deadline = at.date() + timedelta(days=intake.offer_days)
        if status == S.TESTS_SCHEDULED:  # sent to the vetting authority, outcome to come
            db.session.add(SecurityScreening(
                application_id=application.id, reference=f"VS-DEMO{n:04d}",
                requested_by_id=recruiter.id, requested_at=at))
        elif status in CLEARED:  # selection and the waitlist need a favourable screening
            db.session.add(SecurityScreening(
                application_id=application.id, reference=f"VS-DEMO{n:04d}",
                requested_by_id=recruiter.id, requested_at=submitted, recorded_outcome="favourable",
                recorded_by_id=security.id if security else None, recorded_at=at,
                outcome="favourable", concluded_at=at))
        if status == S.WAITLISTED:  # decided by two: a freed place may go to them
            db.session.add(Decision(application_id=application.id, action="waitlist",
                                    application_version=application.version,
                                    proposed_by_id=admin.id, proposed_at=at,
                                    resolved_by_id=recruiter.id, resolved_at=at,
                                    outcome="confirmed"))
    db.session.flush()
    waitlist.rerank(intake.id, "land")
    # One proposal waiting for a second pair of eyes: the demo recruiter can confirm it.
    proposed = db.session.scalar(db.select(Application).where(
        Application.reference == "DJ-DEMO-0008"))
    db.session.add(Decision(application_id=proposed.id, action="select", component="land",
                            application_version=proposed.version, proposed_by_id=admin.id))
    db.session.flush()
    report.created(f"{len(CANDIDATES)} demo applications in {DEMO_INTAKE}")
