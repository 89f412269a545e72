"""Builders and form helpers for the recruiter-side tests."""
from __future__ import annotations

import itertools
import re
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app

from portal.applications import selection
from portal.applications.intakes.models import SelectionDay
from portal.applications.models import (
    Application,
    Convocation,
    Decision,
    ResultKind,
    Status,
    TestResult,
)
from portal.extensions import db
from portal.models import utcnow
from tests.support import factories
from tests.support.client import login, token_in

__all__ = ["login"]

_seq = itertools.count(1)



def application(intake, status: str = Status.SUBMITTED, component: str | None = "land",
                score=None, language: str = "nl", province: str = "10000", **fields
                ) -> Application:
    """An application in `status`, put there directly (for setting up a scene). A waitlisted
    one comes with its waitlisting confirmed by two recruiters, unless `confirmed=False`.
    From tests passed on, its security screening ended favourably, unless `cleared=False`."""
    confirmed = fields.pop("confirmed", True)
    cleared = fields.pop("cleared", status in CLEARED)
    n = next(_seq)
    candidate = fields.pop("user", None) or factories.user(
        "citizen", first_name=fields.get("first_name", f"Cand{n}"),
        last_name=fields.get("last_name", f"Idate{n}"), language=language, password=None)
    now = utcnow()
    values = dict(
        reference=f"DJ-9{n:07d}", intake_id=intake.id, user_id=candidate.id, status=status,
        first_name=candidate.first_name, last_name=candidate.last_name, language=language,
        postcode="2000", province=province, component=component, score=score,
        submitted_at=None if status == Status.DRAFT else now - timedelta(days=3),
        status_changed_at=now,
    )
    values.update(fields)
    app_ = Application(**values)
    db.session.add(app_)
    db.session.flush()
    if cleared:
        security_cleared(app_)
    if status == Status.WAITLISTED and confirmed:
        confirm_waitlisting(app_)
    return app_


# Statuses reached after a selection that needs a favourable security screening.
CLEARED = (Status.TESTS_PASSED, Status.SELECTED, Status.WAITLISTED, Status.OFFER_ACCEPTED,
           Status.OFFER_DECLINED, Status.IN_SERVICE, Status.COMPLETED, Status.CAREER,
           Status.RESERVE, Status.LEFT)


def security_cleared(app_, outcome: str = "favourable"):
    """The record of a security screening of `app_` that ended with `outcome`."""
    from portal.applications.vetting.models import SecurityScreening

    now = utcnow()
    screening = SecurityScreening(
        application_id=app_.id, reference=f"VS-T{next(_seq):07d}", requested_at=now,
        recorded_outcome=outcome, recorded_at=now, outcome=outcome, concluded_at=now)
    db.session.add(screening)
    db.session.flush()
    return screening


def confirm_waitlisting(app_) -> None:
    """The record of two recruiters having put `app_` on the waitlist (which needs its
    security screening favourable: recorded too when missing)."""
    from portal.applications.models import Decision
    from portal.applications.vetting.models import cleared

    if not cleared(app_):
        security_cleared(app_)

    first, second = (factories.user("recruiter", password=None) for _ in range(2))
    db.session.add(Decision(application_id=app_.id, action="waitlist",
                            application_version=app_.version, proposed_by_id=first.id,
                            resolved_by_id=second.id, resolved_at=utcnow(),
                            outcome="confirmed"))
    db.session.flush()


def selection_day(intake, capacity: int = 20, days_ahead: int = 14) -> SelectionDay:
    day = SelectionDay(intake_id=intake.id, day=date.today() + timedelta(days=days_ahead),
                       place=f"Selection centre, Neder-Over-Heembeek, room {next(_seq)}",
                       capacity=capacity)
    db.session.add(day)
    db.session.flush()
    return day


def convoke(app_: Application, day: SelectionDay) -> Convocation:
    convocation = Convocation(application_id=app_.id, selection_day_id=day.id)
    db.session.add(convocation)
    db.session.flush()
    return convocation


def results(app_: Application, passed: bool = True, score: str = "70") -> None:
    for kind in ResultKind:
        db.session.add(TestResult(application_id=app_.id, kind=kind, passed=passed,
                                  score=None if kind == ResultKind.MEDICAL else Decimal(score)))
    db.session.flush()


def decision(app_: Application, action: str, proposer, component: str | None = "land",
             reason_code: str = "ranking") -> Decision:
    d = Decision(application_id=app_.id, action=action,
                 component=component if action == "select" else None,
                 reason_code=reason_code if action == "reject" else "",
                 application_version=app_.version, proposed_by_id=proposer.id)
    db.session.add(d)
    db.session.flush()
    return d


def page_version(client, app_id):
    """The version the application page shows (None when it offers no action) and the page."""
    html = client.get(f"/review/applications/{app_id}").get_data(as_text=True)
    found = re.search(r'name="(?:[a-z]+-)?version" type="hidden" value="(\d+)"', html)
    return (found.group(1) if found else None), html


def post(client, url, app_id, **data):
    version, html = page_version(client, app_id)
    data.setdefault("version", version or "0")
    return client.post(url, data={"csrf_token": token_in(html), **data})


def propose(client, app_id, action, **data):
    version, html = page_version(client, app_id)
    token = token_in(html)
    fields = {f"{action}-{k}": v for k, v in {"version": version, "action": action, **data}.items()}
    return client.post(f"/review/applications/{app_id}/propose",
                       data={f"{action}-csrf_token": token, **fields})


def confirm(client, app_id):
    html = client.get(f"/review/applications/{app_id}").get_data(as_text=True)
    found = re.search(r"/review/decisions/(\d+)/confirm", html)
    assert found, html
    decision_id = found.group(1)
    return post(client, f"/review/decisions/{decision_id}/confirm", app_id)


@contextmanager
def on_selection_day(app_: Application):
    """The portal's day moved to the selection day `app_` is convoked to (results are
    recorded from that day on), and back after."""
    convocation = selection.convocation_of(app_)
    saved = current_app.config.get("TODAY")
    if convocation is not None and convocation.selection_day.day > date.today():
        current_app.config["TODAY"] = convocation.selection_day.day
    try:
        yield
    finally:
        current_app.config["TODAY"] = saved


def medically_fit(app_: Application, fit: bool = True, reason: str = "") -> None:
    """A medical staff member records the medical test (as their page does), committed."""
    from portal.applications.medical import services

    doctor = factories.user("medical_staff", password=None)
    with on_selection_day(app_):
        services.record_medical(app_, fit, reason, doctor, version=None)
    db.session.commit()


def through_tests(client, app_id, day_id, scores):
    """Screening, convocation to `day_id`, medically fit, a pass in every other test with
    `scores` (the medical test's score is not used), concluded."""
    assert post(client, f"/review/applications/{app_id}/screening", app_id).status_code == 302
    response = post(client, f"/review/applications/{app_id}/schedule", app_id,
                    selection_day=str(day_id))
    assert response.status_code == 302
    for kind, score in zip(ResultKind, scores, strict=True):
        if kind == ResultKind.MEDICAL:  # medical staff's, without a score
            medically_fit(db.session.get(Application, app_id))
            continue
        with on_selection_day(db.session.get(Application, app_id)):
            response = post(client, f"/review/applications/{app_id}/results", app_id,
                            kind=kind.value, outcome="pass", score=str(score))
        assert response.status_code == 302, response.get_data(as_text=True)
    assert post(client, f"/review/applications/{app_id}/conclude-tests", app_id).status_code == 302


def waitlist(app_) -> None:
    """Put `app_` on the waitlist as the portal does: one recruiter proposes, another
    confirms."""
    from portal.applications.review import services
    from portal.applications.vetting.models import cleared

    if not cleared(app_):  # the waitlist needs a favourable security screening
        security_cleared(app_)
    first, second = (factories.user("recruiter", password=None) for _ in range(2))
    decision = services.put_on_waitlist(app_, first, version=None)
    services.confirm(decision, second, version=None)
