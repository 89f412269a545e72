"""No letter goes to the post without an address the post can deliver: the application's
letters take the register's address or the application's; without either they go to the
candidate's page and e-mail only, and the pages say so; the engine and letter runs refuse
a postal letter with an incomplete address."""
from __future__ import annotations

import json
from datetime import date

import pytest

from portal import i18n
from portal.applications.models import Status
from portal.applications.workflow import SYSTEM, transition
from portal.extensions import db
from portal.invitations import letters as invitation_letters
from portal.jobs import Job
from portal.letters import services
from portal.letters.models import Letter, RunItem
from tests.support import factories
from tests.support import review as h
from tests.support.client import login
from tests.support.letters import pdf_text
from tests.support.mail import last_mail_to, text_of

CONTACT = {"email": "x@example.be", "phone": "0470 12 34 56", "street": "Kerkstraat",
           "house_number": "5", "box": "", "postcode": "2000", "municipality": "Antwerpen"}


@pytest.fixture(autouse=True)
def _english(app):
    with i18n.locale("en"):
        yield


def _lines(pdf: bytes) -> list[str]:
    return [line.replace("\xa0", " ").strip() for line in pdf_text(pdf).splitlines()]


def _letter_of(app_) -> Letter:
    db.session.commit()  # the letter is made once the move commits
    return db.session.scalars(db.select(Letter).where(
        Letter.subject_type == "Application", Letter.subject_id == str(app_.id))
        .order_by(Letter.id.desc())).first()


def test_a_decision_for_a_candidate_without_an_address_goes_online_only_and_pages_say_so(
        app, client):
    intake = factories.intake(start_date=date(2027, 3, 1))
    app_ = h.application(intake, status=Status.WAITLISTED, language="nl",
                         first_name="Noor", last_name="Peeters")
    transition(app_, "select", SYSTEM)
    letter = _letter_of(app_)
    assert letter.delivery == "online"
    lines = _lines(letter.pdf)
    # The window names the candidate and prints no half address (a postcode alone).
    assert "Noor Peeters" in lines and "2000" not in lines
    assert "Je bent geselecteerd voor het Militair Dienstjaar" in " ".join(lines)

    recruiter = factories.user("recruiter", language="en")
    login(client, recruiter)
    page = client.get(f"/review/applications/{app_.id}").get_data(as_text=True)
    assert "Not sent by post: no complete postal address" in page
    assert "letters are not sent by post" in page

    candidate = db.session.get(type(recruiter), app_.user_id)
    mail = last_mail_to(candidate.email)
    assert "deze brief komt niet met de post" in text_of(mail)  # the application is in Dutch

    client.get("/logout")
    login(client, candidate)
    page = client.get(f"/my-application/{app_.id}").get_data(as_text=True)
    assert "Niet per post verstuurd: we hebben geen volledig postadres van je." in page


def test_a_candidate_who_gave_an_address_gets_the_letter_by_post_at_that_address(app):
    intake = factories.intake(start_date=date(2027, 3, 1))
    app_ = h.application(intake, status=Status.WAITLISTED, language="nl",
                         first_name="Noor", last_name="Peeters",
                         answers=json.dumps({"contact": CONTACT}))
    transition(app_, "select", SYSTEM)
    letter = _letter_of(app_)
    assert letter.delivery == "post"
    lines = _lines(letter.pdf)
    start = lines.index("Noor Peeters")
    assert lines[start:start + 3] == ["Noor Peeters", "Kerkstraat 5", "2000 Antwerpen"]
    assert "deze brief komt niet met de post" not in text_of(
        last_mail_to(_candidate_email(app_)))


def _candidate_email(app_) -> str:
    from portal.accounts.models import User

    return db.session.get(User, app_.user_id).email


def test_an_incomplete_register_address_gives_way_to_the_applications(app):
    intake = factories.intake()
    person = factories.person(postcode="9000", street="", house_number="")
    user = factories.user("citizen", password=None, language="nl")
    person.user_id = user.id
    db.session.flush()
    app_ = h.application(intake, status=Status.SCREENING, user=user,
                         answers=json.dumps({"contact": CONTACT}))
    day = h.selection_day(intake)
    from portal.applications.review import services as review_services

    review_services.schedule_tests(app_, day, factories.user("recruiter", password=None),
                                   app_.version)
    letter = _letter_of(app_)
    assert letter.delivery == "post"
    lines = _lines(letter.pdf)
    name = f"{person.first_names} {person.last_name}"  # the register's name
    start = lines.index(name)
    assert lines[start:start + 3] == [name, "Kerkstraat 5", "2000 Antwerpen"]


def test_the_engine_refuses_a_postal_letter_with_an_incomplete_address(app):
    cohort = factories.cohort()
    person = factories.person(cohort, street="", house_number="")
    with i18n.locale("nl"), pytest.raises(services.IncompleteAddress) as refused:
        invitation_letters.issue_letter(person, cohort, actor=None)
    assert refused.value.message == (
        "Deze brief kan niet per post vertrekken: in het adres ontbreekt de straat, het "
        "huisnummer. Vul het adres eerst aan.")
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 0


def test_a_letter_run_reports_a_person_without_a_deliverable_address(app, tmp_path):
    cohort = factories.cohort()
    people = [factories.person(cohort, postcode="9000") for _ in range(2)]
    homeless = factories.person(cohort, postcode="9000", street="")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert f"person {homeless.id}: IncompleteAddress" in result.output
    job = db.session.scalar(db.select(Job))
    assert (job.done, job.failed) == (len(people), 1)
    failure = db.session.scalar(db.select(RunItem.failure).where(RunItem.key == homeless.id))
    assert "cannot be sent by post" in failure
    assert db.session.scalar(db.select(Letter.id).where(
        Letter.person_id == homeless.id)) is None


def test_the_waitlist_letter_gives_the_routes_of_appeal_in_every_language(app):
    intake = factories.intake()
    h.application(intake, status=Status.WAITLISTED, score=90)
    app_ = h.application(intake, status=Status.TESTS_PASSED, score=70, language="fr",
                         postcode="1000", answers=json.dumps({"contact": CONTACT}))
    h.waitlist(app_)
    text = " ".join(pdf_text(_letter_of(app_).pdf).split())
    assert "Comment introduire un recours" in text and "Conseil d'État" in text
    assert "Hoe je beroep aantekent" in text and "Raad van State" in text
    assert "Tu peux poser ta candidature pour une prochaine levée" not in text
