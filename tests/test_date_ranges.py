"""Every date a form accepts lies in a range that makes sense for its step, checked on the
server with a message that names the range, and shown as the input's min and max.

The forms are found by walking the portal's modules: a new date field without a range
fails here.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.fields import DateTimeField, TimeField

import portal
from portal import dateranges
from portal.extensions import db
from portal.invitations.models import Cohort
from portal.reserve.models import Assignment, Engagement, EngagementStatus, TrainingPeriod
from tests.support import factories, templates
from tests.support import reserve as helpers
from tests.support.client import login, post_form
from tests.support.mail import outbox


def _all_forms() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(module.name)
    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _date_fields(app) -> list[tuple[type[FlaskForm], str]]:
    fields = []
    with app.test_request_context(method="POST"):
        for cls in _all_forms():
            form = cls(formdata=MultiDict(), meta={"csrf": False})
            fields += [(cls, f.name) for f in form
                       if isinstance(f, DateTimeField) and not isinstance(f, TimeField)]
    return fields


def _out_of_range(field) -> tuple[str, str]:
    """A value just outside the field's range, as the browser sends it, and the message."""
    lower, upper = dateranges.bounds_of(field)
    assert (lower, upper) != (None, None), f"{field.name} has no range"
    day = upper + timedelta(days=1) if upper is not None else lower - timedelta(days=1)
    value = day.isoformat() + ("T12:00" if "Local" in type(field).__name__ else "")
    return value, dateranges.message(lower, upper)


def test_the_walk_finds_the_date_fields_of_every_audience(app):
    found = {f"{cls.__name__}.{name}" for cls, name in _date_fields(app)}
    assert {"MoveForm.start_date", "PeriodForm.starts_on", "CohortForm.expires_on",
            "PersonalForm.birth_date", "SectorAgreementForm.valid_from",
            "PeriodAnswerForm.proposed_date", "SessionForm.starts_at",
            "SelectionDayForm.day", "AuditFilterForm.since"} <= found


def test_every_date_field_has_a_range_and_shows_it_as_min_and_max(app):
    missing = []
    with app.test_request_context(method="POST"):
        for cls, name in _date_fields(app):
            field = cls(formdata=MultiDict(), meta={"csrf": False})[name]
            ranges = [v for v in field.validators if isinstance(v, dateranges.DateRange)]
            html = str(field())
            if not ranges or not isinstance(field, dateranges.DateField | dateranges.
                                            DateTimeLocalField) or (
                    " min=" not in html and " max=" not in html):
                missing.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert missing == []


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_a_date_out_of_range_gets_the_range_in_the_readers_language(app, language):
    """Posted just past its range, every date field refuses it with the range in words."""
    checked = 0
    with app.test_request_context(method="POST"), force_locale(language):
        for cls, name in _date_fields(app):
            value, message = _out_of_range(cls(formdata=MultiDict(), meta={"csrf": False})[name])
            form = cls(formdata=MultiDict({name: value}), meta={"csrf": False})
            form.validate()
            assert message in form[name].errors, (cls.__name__, name, value, form[name].errors)
            checked += 1
    assert checked >= 9


def test_no_template_writes_a_date_input_of_its_own():
    """Raw <input type="date"> would miss the range: date inputs come from the fields."""
    raw = [str(p.relative_to(templates.PORTAL)) for p in templates.files(".html")
           if re.search(r"<input[^>]*type=\"(date|datetime-local)\"", p.read_text())]
    assert raw == []


# --- what the range keeps from happening -----------------------------------------------------

def test_a_reserve_start_in_2020_is_refused_and_nothing_starts(app, client):
    unit = helpers.unit()
    recruiter = factories.user("recruiter", language="en")
    engagement = helpers.engagement(status=EngagementStatus.SCREENING)
    db.session.commit()
    login(client, recruiter)
    page = f"/staff/reserve/engagements/{engagement.id}"
    sent_before = len(outbox())
    response = post_form(client, f"{page}/move", {
        "action": "approve", "version": str(engagement.version), "unit_id": str(unit.id),
        "start_date": "2020-01-01"}, page=page)
    assert response.status_code == 400
    with app.test_request_context(), force_locale("en"):
        expected = dateranges.message(date.today(), dateranges.horizon())
    assert expected in response.get_data(as_text=True)
    app.test_cli_runner().invoke(args=["reserve", "start-engagements"])
    db.session.expire_all()
    stored = db.session.get(Engagement, engagement.id)
    assert (stored.status, stored.start_date, stored.end_date) == (
        EngagementStatus.SCREENING, None, None)
    assert len(outbox()) == sent_before


def test_a_training_period_in_the_past_is_refused_and_not_planned(client):
    staff = factories.user("unit_staff", language="en")
    unit = helpers.unit(staff=[staff])
    db.session.commit()
    login(client, staff)
    form_page = client.get(f"/units/{unit.id}/periods/new").get_data(as_text=True)
    assert f'min="{date.today().isoformat()}"' in form_page
    yesterday = date.today() - timedelta(days=1)
    response = post_form(client, f"/units/{unit.id}/periods/new", {
        "kind": "refresher", "starts_on": yesterday.isoformat(),
        "ends_on": (yesterday + timedelta(days=2)).isoformat(), "place": "Kamp Elsenborn",
        "capacity": "20"})
    assert response.status_code in (400, 422)
    assert "Enter a date from " in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(TrainingPeriod)) == 0


def test_a_period_outside_the_engagement_is_not_assigned(client):
    staff = factories.user("unit_staff", language="en")
    unit = helpers.unit(staff=[staff])
    engagement = helpers.engagement(status=EngagementStatus.APPROVED, unit=unit,
                                    start_date=date.today() + timedelta(days=60))
    period = helpers.period(unit, starts_in=30)
    db.session.commit()
    login(client, staff)
    page = f"/units/periods/{period.id}"
    response = post_form(client, f"{page}/assign", {"engagement_id": str(engagement.id)},
                         page=page, follow_redirects=True)
    assert "lies before the reservist" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Assignment)) == 0


def test_a_cohort_whose_codes_already_expired_is_not_created(app, client, login_as):
    login_as("admin", language="en")
    yesterday = date.today() - timedelta(days=1)
    born = dateranges.add_years(date.today(), -app.config["INVITED_AGE"])
    response = post_form(client, "/admin/cohorts", {
        "name": "Expired", "born_from": born.isoformat(), "born_to": born.isoformat(),
        "expires_on": yesterday.isoformat()})
    assert response.status_code == 400
    assert "Enter a date from " in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Cohort)) is None


def test_the_cohort_command_refuses_dates_out_of_range(app):
    born = dateranges.add_years(date.today(), -app.config["INVITED_AGE"])
    result = app.test_cli_runner().invoke(args=[
        "invitations", "cohort", "Expired", "--born-from", born.isoformat(),
        "--born-to", born.isoformat(), "--expires", "2020-01-01"])
    assert result.exit_code != 0
    assert "--expires" in result.output and "Enter a date from" in result.output
    assert db.session.scalar(db.select(Cohort)) is None
