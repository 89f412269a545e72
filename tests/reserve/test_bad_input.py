"""Bad input is refused with a clear, translated message and nothing is stored."""
from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from io import BytesIO

import pytest

from portal import i18n
from portal.applications.models import Status
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import training, year_end
from portal.reserve.models import (
    Assignment,
    Engagement,
    EngagementStatus,
    Proof,
    YearEndChoice,
)
from tests.support import factories, races
from tests.support import reserve as helpers
from tests.support import review as rh
from tests.support.client import login, post_form
from tests.support.reserve import PDF

BASE = {"pillar": "combat", "rank_category": "soldier", "days_per_year": "10",
        "commitment_months": "24", "availability": "part_time", "unit_1": "0", "unit_2": "0",
        "unit_3": "0", "street": "Kerkstraat 1", "postcode": "2000"}


def _apply(client, unit, **changes):
    return post_form(client, "/reserve/apply", {**BASE, "unit_1": str(unit.id), **changes})


@pytest.mark.parametrize(("changes", "message"), [
    ({"days_per_year": "4"}, "Geef minstens 5 dagen per jaar"),
    ({"days_per_year": "6", "rank_category": "nco"}, "Geef minstens 7 dagen per jaar"),
    ({"commitment_months": "6"}, "Verbind je voor minstens 12 maanden."),
    ({"unit_1": "0"}, "Rangschik minstens één eenheid."),
    ({"pillar": "territorial"}, "Kies de provincie waar je wilt dienen."),
    ({"pillar": "specialised"}, "Kies eenheden van de pijler die je koos."),
    ({"unavailable_1_from": "2027-05-10", "unavailable_1_to": "2027-05-01"},
     "moet eindigen op of na de eerste dag"),
    ({"postcode": "123"}, "Belgische postcode van 4 cijfers"),
])
def test_an_application_breaking_a_rule_is_refused_in_dutch(app, client, changes, message):
    user = factories.user(language="nl")
    unit = helpers.unit()
    db.session.commit()
    login(client, user)
    response = _apply(client, unit, **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Engagement)) is None


@pytest.mark.parametrize(("language", "message"), [
    ("fr", "Donne au moins 5 jours par an"),
    ("de", "Gib mindestens 5 Tage im Jahr"),
])
def test_the_minimum_days_message_speaks_the_users_language(app, client, language, message):
    user = factories.user(language=language)
    unit = helpers.unit()
    db.session.commit()
    login(client, user)
    assert message in _apply(client, unit, days_per_year="3").get_data(as_text=True)


def test_a_choice_after_the_deadline_is_refused(app, client):
    application = rh.application(factories.intake(), status=Status.COMPLETED)
    user = db.session.get(type(factories.user()), application.user_id)
    db.session.add(YearEndChoice(application_id=application.id, user_id=user.id,
                                 deadline=date.today() - timedelta(days=1)))
    db.session.commit()
    login(client, user)
    response = post_form(client, "/reserve/choice", {"option": "career"})
    assert response.status_code == 422
    assert "De uiterste datum voor deze keuze is verstreken" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(application), application.id).status == Status.COMPLETED
    with pytest.raises(Refusal):
        year_end.choose(user, db.session.scalar(db.select(YearEndChoice)), "career")


@pytest.mark.parametrize(("name", "data"), [
    ("diploma.pdf", b"<html><script>alert(1)</script></html>"),  # not a PDF at all
    ("diploma.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50),  # a PNG pretending to be a PDF
    ("diploma.exe", PDF),  # a PDF under a name that claims something else
    ("diploma.pdf", b""),
])
def test_an_upload_that_is_not_what_it_claims_is_refused(app, client, name, data):
    user = factories.user()
    engagement = helpers.engagement(user, pillar="specialised")
    db.session.commit()
    login(client, user)
    page = f"/reserve/engagements/{engagement.id}"
    response = post_form(client, f"{page}/proofs", {"file": (BytesIO(data), name)}, page=page,
                         content_type="multipart/form-data", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Alleen PDF-, JPEG- of PNG-bestanden" in text or "Kies een bestand" in text
    assert db.session.scalar(db.select(Proof)) is None


def test_an_upload_over_the_size_limit_is_refused(app, client):
    user = factories.user()
    engagement = helpers.engagement(user)
    db.session.commit()
    login(client, user)
    page = f"/reserve/engagements/{engagement.id}"
    app.config["RESERVE_PROOF_MAX_BYTES"] = 1024
    try:
        response = post_form(client, f"{page}/proofs",
                             {"file": (BytesIO(PDF + b"0" * 2000), "big.pdf")}, page=page,
                             content_type="multipart/form-data", follow_redirects=True)
    finally:
        app.config["RESERVE_PROOF_MAX_BYTES"] = 5 * 1024 * 1024
    assert "Het bestand is te groot" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Proof)) is None


def _serving(unit):
    return helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)


def test_overlapping_periods_are_refused(app):
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    reservist = _serving(unit)
    first = helpers.period(unit, starts_in=30, days=5)
    second = helpers.period(unit, starts_in=33, days=3)
    training.assign(first, reservist, staff)
    with i18n.locale("en"), pytest.raises(Refusal, match="already has a period at that time"):
        training.assign(second, reservist, staff)
    assert db.session.scalar(db.select(db.func.count()).select_from(Assignment)) == 1


def test_a_period_the_reservist_said_they_cannot_serve_is_refused(app):
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    reservist = _serving(unit)
    period = helpers.period(unit, starts_in=30, days=2)
    from portal.reserve.models import UnavailablePeriod

    reservist.unavailable = [UnavailablePeriod(starts_on=period.starts_on,
                                               ends_on=period.starts_on)]
    with i18n.locale("en"), pytest.raises(Refusal, match="cannot serve"):
        training.assign(period, reservist, staff)


def test_capacity_is_enforced(app, client):
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    period = helpers.period(unit, capacity=1)
    first, second = _serving(unit), _serving(unit)
    training.assign(period, first, staff)
    db.session.commit()
    login(client, staff)
    response = post_form(client, f"/units/periods/{period.id}/assign",
                         {"engagement_id": str(second.id)}, page=f"/units/periods/{period.id}",
                         follow_redirects=True)
    assert "De periode is volzet: de capaciteit is 1." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Assignment)) == 1


def test_two_planners_filling_the_last_place_at_once_never_overfill(app):
    staff = [factories.user(role="unit_staff") for _ in range(2)]
    unit = helpers.unit(staff=staff)
    period = helpers.period(unit, capacity=1)
    reservists = [_serving(unit) for _ in range(2)]
    db.session.commit()

    def attempt(engagement_id: int, user_id: int):
        from portal.accounts.models import User
        from portal.reserve.models import TrainingPeriod

        user = db.session.get(User, user_id)
        engagement = db.session.get(Engagement, engagement_id)
        target = db.session.get(TrainingPeriod, period.id)

        def move():
            training.assign(target, engagement, user)
            return "assigned"
        return move

    outcomes = races.at_once(app, [partial(attempt, r.id, s.id)
                                   for r, s in zip(reservists, staff, strict=True)])
    assert sorted(outcomes) == ["The period is full: its capacity is 1.", "assigned"]
    db.session.expire_all()
    assert training.taken(period.id) == 1


def test_attendance_outside_the_period_length_is_refused(app):
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    period = helpers.period(unit, starts_in=-3, days=3)
    assignment = helpers.assignment(period, _serving(unit))
    with i18n.locale("en"), pytest.raises(Refusal, match="between 0 and 3"):
        training.move(assignment, "record_attendance", staff, served_days=4)
    future = helpers.assignment(helpers.period(unit, starts_in=10), _serving(unit))
    with i18n.locale("en"), pytest.raises(Refusal, match="once the period has started"):
        training.move(future, "record_attendance", staff, served_days=1)


def test_a_swap_without_a_reason_is_refused(app, client):
    unit = helpers.unit()
    reservist = _serving(unit)
    user = db.session.get(type(factories.user()), reservist.user_id)
    assignment = helpers.assignment(helpers.period(unit), reservist)
    db.session.commit()
    login(client, user)
    url = f"/reserve/assignments/{assignment.id}/swap"
    response = post_form(client, url, {"reason": "no"})
    assert response.status_code == 422
    assert "Vertel de eenheid waarom" in response.get_data(as_text=True)
    db.session.expire_all()
    assert assignment.status == "planned"
