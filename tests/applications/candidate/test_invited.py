"""A candidate who signed up with an invitation code: prefilled details, register address."""
from __future__ import annotations

from portal.applications.models import Application, Status
from portal.extensions import db
from portal.letters.models import Letter
from tests.support import factories
from tests.support.candidate import born_aged, fill, start, step_data
from tests.support.client import post_form as post
from tests.support.client import version_on


def _invited(login_as, **person_fields):
    intake = factories.intake()
    person = factories.person(postcode="4700", first_names="Lena Maria", last_name="Schmitz",
                              birth_date=born_aged(19, intake.start_date), **person_fields)
    user = login_as("citizen", language="en", person=person)
    session = factories.info_session(intake)
    factories.booking(session, user)
    db.session.commit()
    return user, intake, person


def test_personal_details_come_prefilled_from_the_invitation(client, login_as):
    _user, intake, person = _invited(login_as)
    application_id = start(client, intake)
    page = client.get(f"/my-application/{application_id}/step/personal").get_data(as_text=True)
    assert 'value="Lena Maria"' in page and 'value="Schmitz"' in page
    assert 'name="national_number"' not in page and 'name="birth_date"' not in page
    contact = client.get(f"/my-application/{application_id}/step/contact").get_data(as_text=True)
    assert f'value="{person.street}"' in contact and 'value="4700"' in contact


def test_an_invited_candidate_submits_and_gets_the_letter_at_the_register_address(
        client, login_as):
    _user, intake, person = _invited(login_as, register_language="de")
    application_id = start(client, intake)
    steps = step_data(intake)
    steps["personal"] = {"first_name": "Lena", "last_name": "Schmitz", "nationality": "belgian",
                         "language": "de"}
    steps["contact"].update(postcode="4700", municipality="Eupen")
    fill(client, application_id, steps)
    check = f"/my-application/{application_id}/check"
    post(client, f"/my-application/{application_id}/submit",
         {"version": version_on(client, check)}, page=check)
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    assert application.status == Status.SUBMITTED
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "acknowledgement"))
    assert letter.languages == "de,fr,nl"
    assert letter.person_id == person.id


def _letter(kind, **fields):
    letter = Letter(kind=kind, reference=f"{kind[:3].upper()}-{fields.get('person_id')}-"
                    f"{fields.get('user_id')}", languages="de,fr,nl", template_version="t",
                    sha256="0" * 64, size=9, page_count=1, pdf=b"%PDF-1.7\n", **fields)
    db.session.add(letter)
    return letter


def test_the_status_page_lists_the_invitation_letter_and_no_one_elses(client, login_as):
    user, intake, person = _invited(login_as)
    mine = _letter("invitation", person_id=person.id)
    stranger = factories.person(postcode="9000")
    theirs = _letter("invitation", person_id=stranger.id)
    db.session.commit()
    application_id = start(client, intake)
    page = client.get(f"/my-application/{application_id}").get_data(as_text=True)
    assert "Your invitation" in page
    assert f"/letters/{mine.public_id}.pdf" in page
    assert f"/letters/{theirs.public_id}.pdf" not in page
    assert client.get(f"/letters/{theirs.public_id}.pdf").status_code == 404
