"""The personal step names an age or nationality the intake does not take together with the
form's other errors, after one submission (not one after the other)."""
from __future__ import annotations

import re

from tests.support.candidate import ready_to_apply, start, step_data
from tests.support.client import post_form, version_on


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_the_personal_step_names_age_and_nationality_with_the_other_errors(client, login_as):
    _user, intake = ready_to_apply(login_as, nationality_rule="belgian")
    application_id = start(client, intake)
    data = {**step_data(intake, age=11)["personal"], "last_name": "", "nationality": "eu"}
    url = f"/my-application/{application_id}/step/personal"
    response = post_form(client, url, {**data, "version": version_on(client, url)})
    summary = _summary(response.get_data(as_text=True))
    assert "you will be 11" in summary
    assert "Belgian nationality is required for this intake." in summary
    assert 'href="#last_name"' in summary
