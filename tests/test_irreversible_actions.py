"""Declining an offer, withdrawing a Reserve application and sending the end-of-year choice
cannot be undone: each first shows a page that says what will happen, and a single POST
without that confirmation changes nothing."""
from __future__ import annotations

from datetime import date, timedelta

from portal.accounts.models import User
from portal.applications import workflow
from portal.applications.models import Application, Status
from portal.extensions import db
from portal.reserve.models import ChoiceStatus, Engagement, EngagementStatus, YearEndChoice
from tests.support import factories
from tests.support import reserve as helpers
from tests.support import review as rh
from tests.support.client import login, post_form, version_on


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_declining_the_offer_asks_first_and_then_declines(client):
    application = rh.application(factories.intake(), status=Status.SELECTED, language="nl",
                                 offer_deadline=date.today() + timedelta(days=5))
    db.session.commit()
    login(client, db.session.get(User, application.user_id))
    url = f"/my-application/{application.id}/offer"
    version = version_on(client, url)
    response = post_form(client, url, {"version": version, "answer": "decline"})
    assert response.status_code == 200
    page = _text(response)
    assert "Je plaats weigeren" in page and "wachtlijst" in page
    assert 'name="confirm" value="yes"' in page
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.SELECTED
    response = post_form(client, url, {"version": version, "answer": "decline",
                                       "confirm": "yes"}, page=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.OFFER_DECLINED


def test_withdrawing_a_reserve_application_asks_first(client):
    user = factories.user(language="fr")
    engagement = helpers.engagement(user=user, status=EngagementStatus.APPLIED)
    db.session.commit()
    login(client, user)
    page = f"/reserve/engagements/{engagement.id}"
    assert f'href="{page}/withdraw"' in _text(client.get(page))
    response = post_form(client, f"{page}/withdraw", {"version": str(engagement.version)},
                         page=page)
    assert response.status_code == 200
    assert "Retirer ma candidature à la Réserve" in _text(response)
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).status == EngagementStatus.APPLIED
    confirm = _text(client.get(f"{page}/withdraw"))
    assert "tu ne peux pas" in confirm.lower()
    response = post_form(client, f"{page}/withdraw", {"version": str(engagement.version),
                                                      "confirm": "yes"}, page=f"{page}/withdraw")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Engagement, engagement.id).status == EngagementStatus.WITHDRAWN


def test_the_end_of_year_choice_asks_first_and_then_records_it(client):
    application = rh.application(factories.intake(), status=Status.IN_SERVICE, language="de")
    workflow.transition(application, "complete", None)
    db.session.commit()
    choice = db.session.scalar(db.select(YearEndChoice))
    login(client, db.session.get(User, application.user_id))
    response = post_form(client, "/reserve/choice", {"option": "career"})
    assert response.status_code == 200
    page = _text(response)
    assert "Prüfe deine Wahl" in page and 'name="confirm" value="yes"' in page
    db.session.expire_all()
    assert choice.status == ChoiceStatus.OPEN
    assert db.session.get(Application, application.id).status == Status.COMPLETED
    response = post_form(client, "/reserve/choice", {"option": "career", "confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert choice.status == ChoiceStatus.CAREER


def test_only_the_owner_sees_a_withdrawal_page_and_only_staff_record_a_first_day(client):
    owner = factories.user()
    engagement = helpers.engagement(user=owner, status=EngagementStatus.APPLIED)
    application = rh.application(factories.intake(start_date=date.today()),
                                 status=Status.OFFER_ACCEPTED)
    db.session.commit()
    login(client, factories.user())
    assert client.get(f"/reserve/engagements/{engagement.id}/withdraw").status_code == 404
    response = post_form(client, f"/review/applications/{application.id}/first-day",
                         {"version": str(application.version)}, page="/account")
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.OFFER_ACCEPTED
