"""Submitting, the acknowledgement letter, read-only after submit, withdrawing, the status page."""
from __future__ import annotations

import io

from pypdf import PdfReader

from portal.applications.models import Application, ApplicationEvent, Status
from portal.extensions import db
from portal.letters.models import Letter
from tests.support import races
from tests.support.candidate import fill, ready_to_apply, start, step_data
from tests.support.client import post_form as post
from tests.support.client import version_on


def _submitted(client, login_as, **steps_over):
    user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    steps = step_data(intake)
    for step, values in steps_over.items():
        steps[step].update(values)
    fill(client, application_id, steps)
    check = f"/my-application/{application_id}/check"
    version = version_on(client, check)
    response = post(client, f"/my-application/{application_id}/submit", {"version": version},
                    page=check, follow_redirects=True)
    return user, intake, application_id, version, response


def test_submitting_sends_an_acknowledgement_and_shows_the_status(client, login_as):
    _user, intake, application_id, _v, response = _submitted(client, login_as)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    assert application.status == Status.SUBMITTED and application.submitted_at is not None
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "acknowledgement"))
    assert letter.subject_id == str(application_id) and letter.user_id == application.user_id
    assert "Sent" in page and "Next step" in page
    assert f"/letters/{letter.public_id}.pdf" in page
    download = client.get(f"/letters/{letter.public_id}.pdf")
    assert download.status_code == 200 and download.data[:5] == b"%PDF-"


def test_the_acknowledgement_is_in_dutch_then_french_for_an_antwerp_address(client, login_as):
    _user, _intake, application_id, _v, _r = _submitted(client, login_as)
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "acknowledgement"))
    assert letter.languages == "nl,fr"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.pdf)).pages)
    text = " ".join(text.split())
    dutch = text.find("We hebben je kandidatuur")
    french = text.find("Nous avons bien reçu ta candidature")
    assert 0 <= dutch < french, text[:500]
    assert db.session.get(Application, application_id).reference in text


def test_a_french_speaking_candidate_gets_french_first(client, login_as):
    _submitted(client, login_as, personal={"language": "fr"},
               contact={"postcode": "4000", "municipality": "Liège"})
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "acknowledgement"))
    assert letter.languages == "fr,nl"


def test_a_second_submit_changes_nothing(client, login_as):
    _user, _intake, application_id, version, _r = _submitted(client, login_as)
    check = f"/my-application/{application_id}"
    again = post(client, f"/my-application/{application_id}/submit", {"version": version},
                 page=check, follow_redirects=True)
    assert "already submitted" in again.get_data(as_text=True)
    events = db.session.scalars(db.select(ApplicationEvent)
                                .where(ApplicationEvent.action == "submit")).all()
    assert len(events) == 1
    assert len(db.session.scalars(db.select(Letter)).all()) == 1


def test_a_submitted_application_is_read_only(client, login_as):
    _user, intake, application_id, _v, _r = _submitted(client, login_as)
    url = f"/my-application/{application_id}/step/contact"
    assert client.get(url).status_code == 302
    status_page = client.get(f"/my-application/{application_id}").get_data(as_text=True)
    assert "can no longer be changed" in status_page and "Kerkstraat" in status_page
    assert "Save and continue" not in status_page
    data = {**step_data(intake)["contact"], "street": "Andere straat", "version": "99"}
    response = post(client, url, data, page=f"/my-application/{application_id}",
                    follow_redirects=True)
    assert "can no longer be changed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert "Andere straat" not in db.session.get(Application, application_id).answers


def test_withdrawing_a_submitted_application(client, login_as):
    _user, _intake, application_id, _v, _r = _submitted(client, login_as)
    url = f"/my-application/{application_id}/withdraw"
    response = post(client, url, {"version": version_on(client, url)}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Your application is withdrawn." in page and "Withdraw my application" not in page
    db.session.expire_all()
    assert db.session.get(Application, application_id).status == Status.WITHDRAWN
    # The same form posted again changes nothing.
    again = post(client, url, {"version": "3"}, page=f"/my-application/{application_id}",
                 follow_redirects=True)
    assert "already withdrawn" in again.get_data(as_text=True)
    assert len(db.session.scalars(db.select(ApplicationEvent)
                                  .where(ApplicationEvent.action == "withdraw")).all()) == 1


def test_two_simultaneous_submits_make_one_event_and_one_letter(app, client, login_as):
    """A double click reaching two workers at once: the row lock lets only one through."""
    from datetime import date

    from portal.accounts.models import User
    from portal.applications.candidate import services as candidate_services

    user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    fill(client, application_id, step_data(intake))
    version = db.session.get(Application, application_id).version
    user_id = user.id
    db.session.remove()

    def attempt():
        application = db.session.get(Application, application_id)
        submitter = db.session.get(User, user_id)

        def move():
            candidate_services.submit(application, submitter, version, date.today())
            return "submitted"
        return move

    # A refusal reads "refused" here: what matters is that one of the two is kept.
    outcomes = ["refused" if outcome != "submitted" else outcome for outcome in races.at_once(
        app, [attempt, attempt], refused=(candidate_services.ApplicationError,),
        context=lambda: app.test_request_context("/"))]
    assert sorted(outcomes) == ["refused", "submitted"]
    assert len(db.session.scalars(db.select(ApplicationEvent)).all()) == 1
    assert len(db.session.scalars(db.select(Letter)).all()) == 1


def test_a_convoked_candidate_sees_the_selection_day_and_the_convocation(client, login_as):
    from datetime import date, timedelta

    from portal.applications import workflow
    from portal.applications.intakes.models import SelectionDay
    from portal.applications.review import services as review_services
    from tests.support import factories

    _user, intake, application_id, _v, _r = _submitted(client, login_as)
    recruiter = factories.user(role="recruiter")
    day = SelectionDay(intake_id=intake.id, day=date.today() + timedelta(days=9),
                       place="Selectiecentrum, Kwartier Koningin Astrid, Neder-over-Heembeek",
                       capacity=40)
    db.session.add(day)
    application = db.session.get(Application, application_id)
    workflow.transition(application, "start_screening", recruiter)
    review_services.schedule_tests(application, day, recruiter, application.version)
    db.session.commit()
    page = client.get(f"/my-application/{application_id}").get_data(as_text=True)
    assert "Invited to the selection tests" in page
    assert "Go to the selection tests on" in page and "Kwartier Koningin Astrid" in page
    assert "Convocation to the selection tests" in page
