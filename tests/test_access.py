"""Every route is either declared public or guarded; anonymous visitors meet the guard."""
from __future__ import annotations

import re

from portal.security import PUBLIC_ENDPOINTS


def _view(app, endpoint):
    return app.view_functions[endpoint]


def _is_guarded(view) -> bool:
    # portal.security.role_required and login_required mark the views they guard.
    return bool(getattr(view, "required_roles", None)) or getattr(view, "login_only", False)


def test_every_endpoint_is_public_by_declaration_or_guarded(app):
    unguarded = []
    for endpoint, view in app.view_functions.items():
        if endpoint in PUBLIC_ENDPOINTS or getattr(view, "is_public", False):
            continue
        if not _is_guarded(view):
            unguarded.append(endpoint)
    assert unguarded == [], f"endpoints neither public nor guarded: {unguarded}"


def test_guarded_pages_send_anonymous_visitors_to_login_or_refuse(app, client):
    for rule in app.url_map.iter_rules():
        view = _view(app, rule.endpoint)
        if rule.endpoint in PUBLIC_ENDPOINTS or getattr(view, "is_public", False):
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        assert response.status_code in (302, 400, 401, 403, 404), (rule.rule, response.status_code)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], rule.rule


ROLES = ("citizen", "recruiter", "admin", "employer", "unit_staff", "medical_staff",
         "security_officer")


def _role_pages(app):
    """GET pages without URL parameters that are guarded by role_required."""
    for rule in app.url_map.iter_rules():
        view = _view(app, rule.endpoint)
        if "GET" in rule.methods and not rule.arguments and getattr(view, "required_roles", None):
            yield rule.rule, {str(r) for r in view.required_roles}


def test_each_role_opens_exactly_the_pages_meant_for_it(app, client, login_as):
    """The role matrix: every role-guarded page, as every role."""
    from tests.support import factories

    users = {role: factories.user(role=role) for role in ROLES}
    from portal.extensions import db

    db.session.commit()
    wrong = []
    pages = list(_role_pages(app))
    assert pages, "no role-guarded pages found"
    for role in ROLES:
        login_as(users[role])
        for url, allowed in pages:
            status = client.get(url).status_code
            expected_ok = role in allowed
            if expected_ok and status not in (200, 302):
                wrong.append((role, url, status, "should open"))
            if not expected_ok and status != 403:
                wrong.append((role, url, status, "should be refused"))
    assert wrong == [], "\n".join(map(str, wrong))


def test_numbers_too_large_for_the_database_are_not_found_on_every_route(app, client, login_as):
    """Any `<int:>` segment above 2^63 is a 404 for every role, never a server error."""
    from portal.extensions import db
    from tests.support import factories

    users = {role: factories.user(role=role) for role in ROLES}
    db.session.commit()
    huge = str(2**64)
    wrong = []
    for role in ROLES:
        login_as(users[role])
        for rule in app.url_map.iter_rules():
            if not any(type(c).__name__ == "BoundedInt" or "Integer" in type(c).__name__
                       for c in rule._converters.values()):
                continue
            url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", huge, rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                status = client.open(url, method=method).status_code
                if status >= 500:
                    wrong.append((role, method, rule.rule, status))
    assert wrong == [], "\n".join(map(str, wrong))


def _employers_world(owner) -> dict:
    """An enterprise with another reservist's proposed agreement, and a sector agreement."""
    from datetime import date

    from portal.employers import services as employers
    from portal.employers.admin import services as sectors
    from portal.employers.models import Nomination
    from portal.extensions import db

    company = employers.employer_for("0400000086", "Other NV")
    nomination = Nomination(reservist_id=owner.id, employer=company, hr_email="hr@other.be")
    db.session.add(nomination)
    db.session.flush()
    agreement = employers.contact(nomination, owner)
    sector = sectors.create(None, {
        "sector_name": "Food", "committees": "118", "days_per_year": 10, "notice_days": 30,
        "compensation": "100", "valid_from": date(2026, 1, 1), "valid_to": None})
    return {"nomination_id": nomination.id, "agreement_id": agreement.id,
            "employer_id": company.id, "sector_id": sector.id, "key": "assignment:1",
            "action": "end", "answer": "confirm", "year": 2027}


def _world():
    """Someone else's objects of every kind a route names, and one user of each role."""
    from datetime import date

    from portal.extensions import db
    from portal.invitations import importer
    from portal.invitations.sample import csv_bytes, national_number
    from portal.jobs import Job
    from portal.letters import services as letters
    from tests.support import factories
    from tests.support import review as h

    owner = factories.user("citizen")
    intake = factories.intake()
    session = factories.info_session(intake)
    selection_day = h.selection_day(intake)
    application = h.application(intake, user=owner, status="tests_passed")
    decision = h.decision(application, "select", factories.user("recruiter"))
    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    record = importer.import_csv(cohort, csv_bytes([[national_number(date(2001, 1, 1), 5),
                                                     "X", "Y", "01/01/2001", "Meir", "1", "",
                                                     "2000", "Antwerpen", ""]]), actor=None)
    recipient = letters.Recipient(name="Other Person", address_lines=("Meir 1", "2000 Antwerpen"),
                                  postcode="2000", first_name="Other")
    letter = letters.issue("invitation", recipient=recipient, actor=None, user=owner,
                           context={"expires_on": None, "age_youngest": 18, "age_oldest": 18,
                                    "signup_address": "x.test/start",
                                    "parents_address": "x.test/parents"}, slots={"code": "X"})
    import json
    import tempfile

    job = Job(kind="letter_run", state="done", total=0, params=json.dumps({
        "cohort_id": cohort.id, "out": tempfile.mkdtemp(), "batch_size": 10,
        "letter_date": "2026-01-01", "max_person_id": 0}))
    db.session.add(job)
    from portal.privacy.models import ErasureRequest

    erasure = ErasureRequest(reference="E-ACCESS-1", user_id=owner.id)
    db.session.add(erasure)
    staff = factories.user("recruiter")
    reserve = _reserve_world(owner, application)
    employer_values = _employers_world(owner)
    users = {role: factories.user(role=role, language="en") for role in ROLES}
    from portal.applications.vetting.models import SecurityScreening

    screening = SecurityScreening(application_id=application.id, reference="VS-ACCESS-1")
    db.session.add(screening)
    db.session.commit()
    values = {**reserve, "application_id": application.id, "screening_id": screening.id,
              "intake_id": intake.id,
              "session_id": session.id, "decision_id": decision.id, "cohort_id": cohort.id,
              "import_id": record.id, "public_id": letter.public_id, "job_id": job.id,
              "user_id": staff.id, "step": "personal", "request_id": erasure.id,
              "number": 1, "day_id": selection_day.id, "decision": "approve",
              **employer_values}
    return users, values, owner


def _reserve_world(owner, application) -> dict:
    """The owner's reserve engagement, proof, training period, assignment and choice."""
    from portal.extensions import db
    from portal.reserve import proofs
    from portal.reserve.callups import CallUp, CallUpAnswer
    from portal.reserve.models import EngagementStatus, YearEndChoice
    from tests.support import reserve as r

    unit = r.unit(skills=[r.skill()])
    engagement = r.engagement(owner, status=EngagementStatus.ACTIVE, unit=unit)
    proof = proofs.save(engagement, owner, "cert.pdf", r.PDF)
    period = r.period(unit)
    assignment = r.assignment(period, engagement)
    choice = YearEndChoice(application_id=application.id, user_id=owner.id,
                           deadline=period.starts_on, status="career")
    db.session.add(choice)
    call_up = CallUp(title="X", kind="exercise", starts_on=period.starts_on,
                     ends_on=period.ends_on, answer_by=period.starts_on, unit_ids=str(unit.id))
    db.session.add(call_up)
    db.session.flush()
    answer = CallUpAnswer(call_up_id=call_up.id, engagement_id=engagement.id,
                          user_id=owner.id)
    db.session.add(answer)
    db.session.flush()
    return {"call_up_id": call_up.id, "answer_id": answer.id,
            "engagement_id": engagement.id, "proof_id": proof.id, "unit_id": unit.id,
            "period_id": period.id, "assignment_id": assignment.id, "action": "cancel",
            "skill_id": unit.skills[0].id, "choice_id": choice.id}


def test_every_route_with_someone_elses_object_as_every_role(app, client, login_as):
    """The access matrix over every route that names an object: for each role, the object
    of another user is refused (403 outside the role, 404 for another citizen's), never a
    500; where the role may act on it, the guard lets it through."""
    from tests.support.client import csrf_token

    users, values, _owner = _world()
    wrong = []
    for role in ROLES:
        login_as(users[role])
        token = csrf_token(client, "/account")
        for rule in app.url_map.iter_rules():
            view = _view(app, rule.endpoint)
            if not rule.arguments or getattr(view, "is_public", False) \
                    or rule.endpoint in PUBLIC_ENDPOINTS:
                continue
            url = rule.build(values, append_unknown=False)[1]
            roles = {str(r) for r in getattr(view, "required_roles", ()) or ()}
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                data = {"csrf_token": token} if method == "POST" else None
                status = client.open(url, method=method, data=data).status_code
                if status >= 500:
                    wrong.append((role, method, rule.rule, status, "server error"))
                elif roles and role not in roles and status != 403:
                    wrong.append((role, method, rule.rule, status, "should be 403"))
                elif role == "citizen" and status not in (403, 404) \
                        and rule.arguments != {"intake_id"}:
                    # Every object here belongs to someone else or to staff; an intake is
                    # open to every citizen.
                    wrong.append((role, method, rule.rule, status, "another's object"))
                elif role == "employer" and status not in (403, 404):
                    wrong.append((role, method, rule.rule, status, "employer reached it"))
                elif rule.endpoint == "letters.download" and (status == 200) != (
                        role == "admin"):
                    # Someone else's invitation letter (a live code): administrators only.
                    wrong.append((role, method, rule.rule, status, "invitation letter"))
                elif roles and role in roles and status in (401, 403):
                    wrong.append((role, method, rule.rule, status, "should reach the view"))
    assert wrong == [], "\n".join(map(str, wrong))
