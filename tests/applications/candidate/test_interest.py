"""The interest questionnaire: reached from the citizen's pages, answered in two minutes,
kept for them alone, filling in the same questions of their first application; bad input
is refused and loses nothing; their data export holds it and erasure removes it."""
from __future__ import annotations

import re

from portal.applications.interest import Interest
from portal.extensions import db
from portal.privacy import services as privacy
from tests.support.candidate import ready_to_apply, start
from tests.support.client import post_form as post

URL = "/account/interest"


def _answers(**over):
    data = {"level": "7", "functions": ["it", "technical"], "driving_licence": "y",
            "languages": ["nl", "en"]}
    data.update(over)
    return data


def test_answers_fill_in_the_application_and_can_be_changed(client, login_as):
    user, intake = ready_to_apply(login_as)
    apply_page = client.get("/apply").get_data(as_text=True)
    assert f'href="{URL}"' in apply_page and "Tell us what interests you" in apply_page

    response = post(client, URL, _answers(), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Your answers will fill in the same questions of your application" in page
    assert "Change your answers to the interest questions" in page
    stored = db.session.scalar(db.select(Interest).where(Interest.user_id == user.id))
    assert (stored.level, stored.function_list, stored.driving_licence,
            stored.language_list) == (7, ["it", "technical"], True, ["nl", "en"])

    # Shown again with the answers ticked; answering again replaces them.
    form = client.get(URL).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="7"|value="7"[^>]*checked', form)
    post(client, URL, _answers(level="3", functions=["logistics"], driving_licence=""))
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Interest.id))) == 1
    stored = db.session.scalar(db.select(Interest))
    assert (stored.level, stored.function_list, stored.driving_licence) == (
        3, ["logistics"], False)

    application_id = start(client, intake)
    preferences = client.get(f"/my-application/{application_id}/step/preferences")
    assert re.search(r'<input checked[^>]*value="logistics"|value="logistics"[^>]*checked',
                     preferences.get_data(as_text=True))


def test_the_driving_licence_is_ticked_in_the_education_step(client, login_as):
    _user, intake = ready_to_apply(login_as)
    post(client, URL, _answers())
    application_id = start(client, intake)
    page = client.get(f"/my-application/{application_id}/step/education").get_data(
        as_text=True)
    assert re.search(r'<input checked[^>]*name="driving_licence"|name="driving_licence"'
                     r'[^>]*checked', page), page


def test_bad_answers_are_refused_in_words_and_keep_what_was_stored(client, login_as):
    user, _intake = ready_to_apply(login_as)
    post(client, URL, _answers())
    for bad in (_answers(level="11"), _answers(level=""), _answers(level="-1"),
                _answers(functions=["nuclear"]), _answers(languages=["xx"]),
                _answers(level="9" * 40)):
        response = post(client, URL, bad)
        assert response.status_code == 400, bad
        assert "There is a problem" in response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.scalar(db.select(Interest).where(Interest.user_id == user.id))
    assert stored.level == 7 and stored.function_list == ["it", "technical"]


def test_only_citizens_answer_and_each_only_their_own(client, login_as):
    login_as("recruiter", language="en")
    assert client.get(URL).status_code == 403
    client.get("/logout")
    with client.session_transaction() as s:
        s.clear()
    assert client.get(URL).status_code in (302, 401)


def test_the_export_holds_it_in_words_and_erasure_removes_it(app, client, login_as):
    user, _intake = ready_to_apply(login_as)
    post(client, URL, _answers())
    data = privacy.collect(user)["applications"]["interest"]
    assert data["level"] == 7 and data["driving_licence"] is True
    assert data["functions"] == ["IT and communication", "Technical and maintenance"]
    assert data["languages"] == ["Dutch", "English"]
    privacy.erase(user, actor=user)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(Interest.id))) == 0
