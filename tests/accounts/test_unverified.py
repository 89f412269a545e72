"""An unverified citizen may log in and prepare an application, but confirms the address
before submitting it."""
from __future__ import annotations

from portal.applications.models import Application, Status
from portal.extensions import db
from tests.support.candidate import fill, ready_to_apply, start, step_data
from tests.support.client import post_form as post
from tests.support.client import version_on


def _prepared(client, login_as):
    user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    fill(client, application_id, step_data(intake))
    return user, application_id


def _submit(client, application_id):
    check = f"/my-application/{application_id}/check"
    return post(client, f"/my-application/{application_id}/submit",
                {"version": version_on(client, check)}, page=check)


def test_an_unverified_citizen_is_sent_to_confirm_before_submitting(client, login_as):
    user, application_id = _prepared(client, login_as)
    user.email_verified_at = None
    db.session.commit()
    response = _submit(client, application_id)
    assert response.status_code == 302 and response.location == "/account"
    page = client.get("/account").text
    assert "Confirm your e-mail address first" in page
    assert "Send the e-mail again" in page
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.DRAFT


def test_once_confirmed_the_same_application_can_be_submitted(client, login_as):
    _user, application_id = _prepared(client, login_as)
    response = _submit(client, application_id)
    assert response.status_code == 302 and response.location != "/account"
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.SUBMITTED
