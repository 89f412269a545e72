"""What a first use of the candidate's forms found: eligibility known early, error summaries
that name the field, titles that say "Error:", and a form that survives an expired session."""
from __future__ import annotations

import base64
import json
import re
import zlib

from sqlalchemy import text

from portal import drafts
from portal.applications.models import Application
from portal.drafts import FormDraft
from portal.extensions import db
from tests.support import factories
from tests.support.candidate import fill, ready_to_apply, start, step_data
from tests.support.client import post_form, version_on


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_an_eleven_year_old_is_told_at_the_first_step(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    data = step_data(intake, age=11)["personal"]
    url = f"/my-application/{application_id}/step/personal"
    response = post_form(client, url, {**data, "version": version_on(client, url)})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "you will be 11" in html
    assert 'id="birth_date-error"' in html
    assert _title(html).startswith("Error:")
    db.session.expire_all()
    assert db.session.get(Application, application_id).answers in (None, "", "{}")


def test_a_nationality_the_intake_does_not_take_is_refused_at_the_first_step(client, login_as):
    _user, intake = ready_to_apply(login_as, nationality_rule="belgian")
    application_id = start(client, intake)
    data = {**step_data(intake)["personal"], "nationality": "eu"}
    url = f"/my-application/{application_id}/step/personal"
    response = post_form(client, url, {**data, "version": version_on(client, url)})
    html = response.get_data(as_text=True)
    assert 'id="nationality-error"' in html
    assert "Belgian nationality is required for this intake." in html


def test_an_invited_person_too_young_for_the_intake_cannot_start(client, login_as):
    from tests.support.candidate import born_aged

    intake = factories.intake()
    person = factories.person(birth_date=born_aged(12, intake.start_date))
    user = factories.user(language="en")
    user.person = person
    factories.booking(factories.info_session(intake), user)
    db.session.commit()
    login_as(user)
    response = post_form(client, f"/apply/{intake.id}/start", page="/apply")
    assert response.status_code == 302 and "/my-application/" not in response.headers["Location"]
    assert "you will be 12" in client.get("/apply").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 0


def test_the_error_summary_names_each_field(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    url = f"/my-application/{application_id}/step/contact"
    html = post_form(client, url, {"version": version_on(client, url)}).get_data(as_text=True)
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Street: This field is required." in summary
    assert "Postcode: " in summary
    assert re.search(r'class="error-summary"[^>]*autofocus', html)
    assert _title(html).startswith("Error: ")
    # A page without errors has no prefix.
    assert not _title(client.get(url).get_data(as_text=True)).startswith("Error:")


def test_a_step_sent_after_the_session_expired_comes_back_filled_in(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    url = f"/my-application/{application_id}/step/motivation"
    typed = "I typed this for an hour: I want to serve and learn a trade with others."
    response = client.post(url, data={"csrf_token": "expired", "version": "1",
                                      "earliest_start": intake.start_date.isoformat(),
                                      "motivation": typed})
    assert response.status_code == 303 and response.headers["Location"].endswith(url)

    html = client.get(url).get_data(as_text=True)
    assert "What you typed is filled in again" in html
    assert typed in html
    assert f'value="{intake.start_date.isoformat()}"' in html
    # Once: the next visit shows what is saved (nothing yet).
    assert typed not in client.get(url).get_data(as_text=True)
    # Sending it again now works.
    fill(client, application_id, {"motivation": {"earliest_start": intake.start_date.isoformat(),
                                                 "motivation": typed}})


def test_a_national_register_number_is_never_kept_in_the_session(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    url = f"/my-application/{application_id}/step/personal"
    data = step_data(intake)["personal"]
    client.post(url, data={**data, "csrf_token": "expired", "version": "1"})
    [draft] = db.session.scalars(db.select(FormDraft)).all()
    kept = dict(json.loads(drafts.KEYS.decrypt(draft.fields)))
    assert kept["first_name"] == "Lotte" and "national_number" not in kept


def test_a_post_only_form_with_an_expired_session_gets_the_friendly_page(client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    response = client.post(f"/my-application/{application_id}/submit",
                           data={"csrf_token": "expired", "version": "1"})
    assert response.status_code == 400
    assert "session has expired" in response.get_data(as_text=True)


def _cookie_payload(client) -> str:
    """What the signed session cookie shows to whoever holds it (signed, not encrypted)."""
    cookie = client.get_cookie("session").value
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if cookie.startswith(".") else raw).decode()


def test_health_answers_typed_before_the_session_expired_wait_sealed_on_the_server(
        client, login_as):
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    url = f"/my-application/{application_id}/step/health"
    response = client.post(url, data={"csrf_token": "expired", "version": "1",
                                      "chronic_condition": "yes", "medication": "yes",
                                      "recent_injury": "no", "sport_limits": "no"})
    assert response.status_code == 303
    assert "chronic_condition" not in _cookie_payload(client)
    assert "medication" not in _cookie_payload(client)
    [raw] = db.session.execute(text("SELECT fields FROM form_drafts")).scalars().all()
    assert "chronic_condition" not in raw and "yes" not in raw
    # The form comes back filled in, once; then the draft is gone.
    html = client.get(url).get_data(as_text=True)
    for name in ("chronic_condition", "medication"):
        assert re.search(rf'<input[^>]*checked[^>]*name="{name}"[^>]*value="yes"|'
                         rf'<input[^>]*name="{name}"[^>]*value="yes"[^>]*checked', html), name
    assert db.session.scalars(db.select(FormDraft)).all() == []
