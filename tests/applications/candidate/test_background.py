"""The optional question about background (a parent's higher education): offered from the
candidate's application page, answered, changed or removed by them alone, never shown to
recruiters, counted on the intake dashboard only in groups of DASHBOARD_MIN_CELL or more,
exported with their data and erased with their account."""
from __future__ import annotations

import csv
import io
import re

from flask_babel import gettext

from portal import i18n
from portal.applications.background import BackgroundAnswer
from portal.applications.models import Status
from portal.extensions import db
from portal.privacy import services as privacy
from tests.support import factories
from tests.support import review as scene
from tests.support.client import post_form as post

URL = "/account/background"


def _stored(user) -> str | None:
    db.session.expire_all()
    return db.session.scalar(db.select(BackgroundAnswer.parents_higher_education)
                             .where(BackgroundAnswer.user_id == user.id))


def test_offered_after_sending_answered_changed_and_removed(client, login_as):
    citizen = login_as("citizen", language="en")
    application = scene.application(factories.intake(), status=Status.SUBMITTED, user=citizen)
    db.session.commit()
    status_page = client.get(f"/my-application/{application.id}").get_data(as_text=True)
    assert f'href="{URL}"' in status_page and "one question about your background" in status_page

    form = client.get(URL).get_data(as_text=True)
    assert "Recruiters and everyone who decides on applications never see your answer" in form
    assert "no group of fewer than 10 people is shown" in form
    assert "Remove my answer" not in form

    page = post(client, URL, {"parents_higher_education": "no"},
                follow_redirects=True).get_data(as_text=True)
    assert "Your answer is saved" in page
    assert _stored(citizen) == "no"
    again = client.get(f"/my-application/{application.id}").get_data(as_text=True)
    assert "See, change or remove your answer about your background" in again
    form = client.get(URL).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="no"|value="no"[^>]*checked', form)

    post(client, URL, {"parents_higher_education": "not_said"})
    assert _stored(citizen) == "not_said"
    assert db.session.scalar(db.select(db.func.count(BackgroundAnswer.id))) == 1

    page = post(client, URL, {"remove": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Your answer is removed" in page
    assert _stored(citizen) is None
    # Removing twice (a second click) is harmless.
    assert post(client, URL, {"remove": "1"}).status_code == 302


def test_a_draft_does_not_offer_it_yet(client, login_as):
    citizen = login_as("citizen", language="en")
    draft = scene.application(factories.intake(), status=Status.DRAFT, user=citizen)
    db.session.commit()
    assert f'href="{URL}"' not in client.get(f"/my-application/{draft.id}").get_data(
        as_text=True)


def test_bad_answers_are_refused_in_words_and_keep_what_was_stored(client, login_as):
    citizen = login_as("citizen", language="en")
    post(client, URL, {"parents_higher_education": "yes"})
    for bad in ({}, {"parents_higher_education": "maybe"},
                {"parents_higher_education": "x" * 500}):
        response = post(client, URL, bad)
        assert response.status_code == 400, bad
        assert "There is a problem" in response.get_data(as_text=True)
    assert _stored(citizen) == "yes"


def test_the_form_speaks_the_citizens_language(client, login_as):
    login_as("citizen", language="fr")
    page = client.get(URL).get_data(as_text=True)
    with i18n.locale("fr"):
        assert gettext("Your background (optional)") in page
    assert "Your background (optional)" not in page


def test_only_citizens_answer_and_staff_never_see_it(client, login_as):
    citizen = factories.user("citizen", language="en")
    application = scene.application(factories.intake(), status=Status.SUBMITTED, user=citizen)
    db.session.add(BackgroundAnswer(user_id=citizen.id, parents_higher_education="no"))
    db.session.commit()
    login_as("recruiter", language="en")
    assert client.get(URL).status_code == 403
    staff_page = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert client.get(f"/review/applications/{application.id}").status_code == 200
    assert "higher education" not in staff_page and "background" not in staff_page.lower()


def test_the_export_holds_it_in_words_and_erasure_removes_it(client, login_as):
    citizen = login_as("citizen", language="en")
    post(client, URL, {"parents_higher_education": "unknown"})
    data = privacy.collect(citizen)["applications"]["background"]
    assert data["parents_higher_education"] == "I don't know"
    privacy.erase(citizen, actor=citizen)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(BackgroundAnswer.id))) == 0


def _dashboard_rows(client, intake) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(
        client.get(f"/review/intakes/{intake.id}/dashboard.csv").get_data(as_text=True))))
    applied = rows[0].index("applied")
    return {r[1]: r[applied] for r in rows if r and r[0] == "first_generation"}


def _applicants(intake, answer: str | None, n: int) -> None:
    for _ in range(n):
        user = factories.user("citizen", password=None)
        if answer is not None:
            db.session.add(BackgroundAnswer(user_id=user.id, parents_higher_education=answer))
        scene.application(intake, status=Status.SUBMITTED, user=user)


def test_the_dashboard_counts_the_first_generation_in_groups_of_ten_or_more(
        client, login_as):
    intake = factories.intake()
    _applicants(intake, "no", 12)        # first generation
    _applicants(intake, "yes", 10)       # a parent completed higher education
    _applicants(intake, "not_said", 4)   # with the unanswered: not known
    _applicants(intake, None, 7)
    db.session.commit()
    login_as("recruiter", language="en")
    assert _dashboard_rows(client, intake) == {"yes": "12", "no": "10", "": "11"}
    page = client.get(f"/review/intakes/{intake.id}/dashboard").get_data(as_text=True)
    assert "By parents&#39; higher education" in page or "By parents' higher education" in page
    assert "First generation in higher education" in page


def test_a_small_group_of_first_generation_applicants_is_hidden(client, login_as):
    intake = factories.intake()
    _applicants(intake, "no", 9)
    _applicants(intake, "yes", 15)
    db.session.commit()
    login_as("recruiter", language="en")
    # 9 is hidden, and so is the 15 that would give it back from the total of 24.
    assert _dashboard_rows(client, intake) == {"yes": "< 10", "no": "< 10"}
