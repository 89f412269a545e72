"""Call-ups: who is reached, answers, who may read them, and the days counted as served."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.employers.models import Agreement
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import callups, training
from portal.reserve.models import EngagementStatus
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.client import login, post_form
from tests.support.mail import outbox


def _call_up(actor, unit, **fields):
    start = date.today() + timedelta(days=10)
    values = dict(title="Oefening Noordzee", kind="exercise", starts_on=start,
                  ends_on=start + timedelta(days=2), answer_by=start - timedelta(days=3),
                  unit_ids=[unit.id])
    values.update(fields)
    return callups.create(actor, **values)


def test_a_call_up_for_one_unit_reaches_only_its_active_reservists(app):
    staff = factories.user(role="unit_staff")
    unit, other = helpers.unit(staff=[staff]), helpers.unit()
    active = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    helpers.engagement(status=EngagementStatus.ENDED, unit=unit)
    helpers.engagement(status=EngagementStatus.ACTIVE, unit=other)
    call_up = _call_up(staff, unit)
    assert [a.engagement_id for a in call_up.answers] == [active.id]
    assert all(a.available is None for a in call_up.answers)


def test_unit_staff_cannot_call_up_another_unit_nor_read_its_answers(app):
    staff, stranger = factories.user(role="unit_staff"), factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    helpers.unit(staff=[stranger])
    with pytest.raises(Refusal):
        _call_up(stranger, unit)
    call_up = _call_up(staff, unit)
    assert callups.visible_to(staff, call_up.id) is call_up
    assert callups.visible_to(stranger, call_up.id) is None


def test_answers_are_recorded_only_by_the_reservist(app):
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    engagement = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    row, = _call_up(staff, unit).answers
    with pytest.raises(Refusal):
        callups.answer(row, staff, available=True)
    user = db.session.get(type(staff), engagement.user_id)
    callups.answer(row, user, available=False, reason="Examens")
    assert (row.available, row.reason, row.answered_at is not None) == (False, "Examens", True)


def test_days_count_as_served_for_the_available_once_the_call_up_has_passed(app):
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    yes = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    no = helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    call_up = _call_up(staff, unit)
    users = {e.id: db.session.get(type(staff), e.user_id) for e in (yes, no)}
    for row in call_up.answers:
        callups.answer(row, users[row.engagement_id], available=row.engagement_id == yes.id)
    year = call_up.starts_on.year
    assert callups.count_served(call_up.ends_on) == 0  # the last day has not passed
    assert callups.count_served(call_up.ends_on + timedelta(days=1)) == 1
    assert callups.count_served(call_up.ends_on + timedelta(days=2)) == 0  # counted once
    assert training.served_days(yes.user_id, year) == 3
    assert training.served_days(no.user_id, year) == 0


def test_the_reservist_answers_on_the_page_and_unit_staff_see_it_others_get_404(app, client):
    staff, stranger = factories.user(role="unit_staff"), factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    helpers.unit(staff=[stranger])
    engagement = helpers.engagement(factories.user(last_name="Peeters"),
                                    status=EngagementStatus.ACTIVE, unit=unit)
    call_up = _call_up(staff, unit)
    row, = call_up.answers
    db.session.commit()
    user = db.session.get(type(staff), engagement.user_id)
    login(client, user)
    assert "Oefening Noordzee" in client.get("/reserve/call-ups").get_data(as_text=True)
    post_form(client, f"/reserve/call-ups/answers/{row.id}",
              {"available": "0", "reason": "Examens"}, page="/reserve/call-ups")
    db.session.refresh(row)
    assert (row.available, row.reason) == (False, "Examens")
    login(client, stranger)
    assert client.get(f"/reserve/call-ups/{call_up.id}").status_code == 404
    login(client, staff)
    page = client.get(f"/reserve/call-ups/{call_up.id}").get_data(as_text=True)
    assert "Peeters" in page and "Examens" in page


def test_each_reservist_reached_gets_an_email_in_their_language(app):
    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    user = factories.user(language="fr")
    helpers.engagement(user, status=EngagementStatus.ACTIVE, unit=unit)
    _call_up(staff, unit, kind="crisis")
    db.session.commit()
    mail, = [m for m in outbox() if user.email in (m["To"] or "")]
    assert "disponibilité" in mail["Subject"]


def test_the_reservists_employer_is_told_formally_in_their_language(app):
    from tests.employers import helpers as employers

    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    reservist = factories.user(role="citizen", first_name="An", last_name="Claes")
    employer = employers.employer()
    hr = employers.hr_user(employer, language="de", email="hr@firma.be")
    employers.signed_agreement(employer, hr=hr, reservist=reservist)
    helpers.engagement(reservist, status=EngagementStatus.ACTIVE, unit=unit)
    call_up = _call_up(staff, unit)
    db.session.commit()
    mail, = [m for m in outbox() if "hr@firma.be" in (m["To"] or "")]
    body = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "Ihr Mitarbeiter wird von der Reserve einberufen"
    assert "Wir informieren Sie" in body
    assert "An Claes" in body and str(call_up.starts_on.year) in body
    # What applies: the law on the reserve's status and the terms the enterprise signed.
    assert "Gesetz vom 16. Mai 2001" in body
    signed = db.session.scalar(db.select(Agreement).where(Agreement.employer_id == employer.id))
    assert f"{signed.terms.notice_days} Tage" in body
    assert f"höchstens {signed.terms.days_per_year} Tage" in body
    # Ten days ahead is shorter than the agreement's notice: the mail says so.
    assert (signed.terms.notice_days > 10) == ("später als die vereinbarte" in body)


def test_a_public_employer_reads_the_law_that_grants_the_leave(app):
    from tests.employers import helpers as employers

    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    reservist = factories.user(role="citizen")
    city = employers.employer(employers.NUMBERS[1], "Stad Gent", is_public=True)
    employers.hr_user(city, language="fr", email="rh@gent.be")
    # A public employer is notified: its agreement holds at once, nothing is signed.
    assert employers.proposed_agreement(city, reservist).status == "signed"
    helpers.engagement(reservist, status=EngagementStatus.ACTIVE, unit=unit)
    _call_up(staff, unit)
    db.session.commit()
    mail, = [m for m in outbox() if "rh@gent.be" in (m["To"] or "")]
    body = " ".join(mail.get_body(("plain",)).get_content().split())
    assert "En tant qu'employeur public" in body and "loi du 16 mai 2001" in body
    assert "convention signée" not in body


def test_a_call_up_within_the_agreed_notice_says_it_is_late(app):
    from tests.employers import helpers as employers

    staff = factories.user(role="unit_staff")
    unit = helpers.unit(staff=[staff])
    reservist = factories.user(role="citizen")
    employer = employers.employer()
    hr = employers.hr_user(employer, language="en", email="hr@late.be")
    agreement = employers.signed_agreement(employer, hr=hr, reservist=reservist)
    helpers.engagement(reservist, status=EngagementStatus.ACTIVE, unit=unit)
    notice = agreement.terms.notice_days
    start = date.today() + timedelta(days=notice - 1)
    _call_up(staff, unit, starts_on=start, ends_on=start, answer_by=date.today())
    _call_up(staff, unit, title="Later", starts_on=start + timedelta(days=5),
             ends_on=start + timedelta(days=5), answer_by=date.today())
    db.session.commit()
    late, timely = [m.get_body(("plain",)).get_content()
                    for m in outbox() if "hr@late.be" in (m["To"] or "")]
    assert f"This call-up comes later than the {notice} days of notice agreed" in late
    assert "later than" not in timely
    assert "Law of 16 May 2001" in timely


def test_unit_staff_send_a_call_up_from_the_form_for_their_own_unit_only(app, client):
    staff = factories.user(role="unit_staff")
    unit, other = helpers.unit(staff=[staff], name="Bataljon A"), helpers.unit(name="Ander")
    helpers.engagement(status=EngagementStatus.ACTIVE, unit=unit)
    db.session.commit()
    login(client, staff)
    page = client.get("/reserve/call-ups/new").get_data(as_text=True)
    assert "Bataljon A" in page and "Ander" not in page
    start = date.today() + timedelta(days=20)
    data = {"title": "Oefening", "kind": "exercise", "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=1)).isoformat(),
            "answer_by": (start - timedelta(days=5)).isoformat()}
    post_form(client, "/reserve/call-ups/new", {**data, "unit_ids": str(other.id)})
    assert db.session.scalars(db.select(callups.CallUp)).all() == []
    response = post_form(client, "/reserve/call-ups/new", {**data, "unit_ids": str(unit.id)})
    assert response.status_code == 302
    call_up, = db.session.scalars(db.select(callups.CallUp)).all()
    assert len(call_up.answers) == 1
