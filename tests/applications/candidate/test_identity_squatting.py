"""A typed national register number never outranks the register link of an invitation code
or eID: the real person always applies, and the clash goes to recruiters."""
from __future__ import annotations

from portal.applications.models import Application, Status
from portal.extensions import db
from tests.support import factories
from tests.support.candidate import born_aged, fill, national_number, start, step_data
from tests.support.client import post_form as post
from tests.support.client import sign_in, version_on


def _ready(client, user, intake):
    session = factories.info_session(intake)
    factories.booking(session, user)
    db.session.commit()
    sign_in(client, user)


def _submit(client, intake, steps) -> Application:
    application_id = start(client, intake)
    fill(client, application_id, steps)
    check = f"/my-application/{application_id}/check"
    post(client, f"/my-application/{application_id}/submit",
         {"version": version_on(client, check)}, page=check)
    return db.session.get(Application, application_id), check


def test_the_registered_person_applies_even_after_someone_typed_their_number(app):
    intake = factories.intake()
    born = born_aged(20, intake.start_date)
    number = national_number(born)
    person = factories.person(birth_date=born, national_number=number,
                              first_names="Lotte", last_name="Peeters")
    squatter = factories.user(language="en")
    db.session.commit()

    # Someone who knows Lotte's number and birth date applies first, typing them.
    theirs = app.test_client()
    _ready(theirs, squatter, intake)
    steps = step_data(intake)
    steps["personal"].update(national_number=number, birth_date=born.isoformat())
    squatted, _check = _submit(theirs, intake, steps)
    assert squatted.status == Status.SUBMITTED

    # Lotte signs up with her invitation code (the register link) and applies: not refused.
    lotte = factories.user(language="en")
    person.user_id = lotte.id
    db.session.commit()
    mine = app.test_client()
    _ready(mine, lotte, intake)
    own_steps = step_data(intake)
    del own_steps["personal"]["national_number"]
    own_steps["personal"]["birth_date"] = born.isoformat()
    application, check = _submit(mine, intake, own_steps)
    assert application.status == Status.SUBMITTED, mine.get(check).get_data(as_text=True)

    # Recruiters see the clash on both applications.
    recruiter = app.test_client()
    reviewer = factories.user(role="recruiter", language="en")
    db.session.commit()
    sign_in(recruiter, reviewer)
    for shown, other in ((application, squatted), (squatted, application)):
        page = recruiter.get(f"/review/applications/{shown.id}").get_data(as_text=True)
        assert "Identity to check" in page
        assert f"/review/applications/{other.id}" in page


def test_a_number_that_belongs_to_another_account_cannot_be_typed(app, client):
    intake = factories.intake()
    born = born_aged(20, intake.start_date)
    number = national_number(born)
    person = factories.person(birth_date=born, national_number=number)
    person.user_id = factories.user().id  # the real person's account
    squatter = factories.user(language="en")
    db.session.commit()
    _ready(client, squatter, intake)
    steps = step_data(intake)
    steps["personal"].update(national_number=number, birth_date=born.isoformat())
    application, check = _submit(client, intake, steps)
    assert application.status == Status.DRAFT
    assert "This national register number belongs to another account." in client.get(
        check).get_data(as_text=True)


