"""Monthly extracts, reprints and accounts: a run letters only the people who have no letter,
reprints are explicit and audited, and nobody with an account is invited again."""
from __future__ import annotations

from portal.audit import AuditEvent
from portal.extensions import db
from portal.invitations.models import Invitation
from portal.jobs import Job
from portal.letters.models import Letter
from tests.support import factories
from tests.support.client import post_form


def _run(app, cohort, out, *args, input=None):
    return app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(out), *args], input=input)


def _people(cohort, n, postcode="9000"):
    people = [factories.person(cohort, postcode=postcode) for _ in range(n)]
    db.session.commit()
    return people


def _lettered(person_ids=None) -> list[int]:
    query = db.select(Letter.person_id).order_by(Letter.id)
    return list(db.session.scalars(query))


def test_a_second_run_letters_only_the_people_of_a_later_extract(app, tmp_path):
    cohort = factories.cohort()
    first = _people(cohort, 3)
    assert _run(app, cohort, tmp_path / "march").exit_code == 0
    codes_of_march = {i.id for i in db.session.scalars(db.select(Invitation))}
    later = _people(cohort, 2, postcode="5000")
    result = _run(app, cohort, tmp_path / "april")
    assert result.exit_code == 0, result.output
    assert "2 letters" in result.output
    assert sorted(_lettered()) == sorted(p.id for p in first + later)
    invitations = db.session.scalars(db.select(Invitation)).all()
    assert all(i.is_open for i in invitations) and len(invitations) == 5
    assert codes_of_march <= {i.id for i in invitations}


def test_running_again_after_success_prints_nothing_and_says_so(app, tmp_path):
    cohort = factories.cohort()
    _people(cohort, 2)
    assert _run(app, cohort, tmp_path / "a").exit_code == 0
    result = _run(app, cohort, tmp_path / "b")
    assert result.exit_code == 0
    assert "Nothing to print" in result.output
    assert db.session.scalar(db.select(db.func.count(Job.id))) == 1
    assert not (tmp_path / "b").exists()
    assert all(i.is_open for i in db.session.scalars(db.select(Invitation)))


def test_nobody_who_has_an_account_is_invited(app, tmp_path):
    cohort = factories.cohort()
    member, other = _people(cohort, 2)
    member.user = factories.user()
    db.session.commit()
    assert _run(app, cohort, tmp_path).exit_code == 0
    assert _lettered() == [other.id]
    result = _run(app, cohort, tmp_path / "again", "--reprint-all", "--reason", "new design",
                  "--yes")
    assert result.exit_code == 0, result.output
    assert _lettered() == [other.id, other.id]


def test_reprint_of_one_letter_revokes_its_code_and_is_audited(app, tmp_path):
    cohort = factories.cohort()
    person, other = _people(cohort, 2)
    assert _run(app, cohort, tmp_path / "run").exit_code == 0
    old = db.session.scalar(db.select(Letter).where(Letter.person_id == person.id))
    result = app.test_cli_runner().invoke(args=[
        "letters", "reprint", "--reference", old.reference, "--reason", "letter lost",
        "--out", str(tmp_path / "reprints")])
    assert result.exit_code == 0, result.output
    new = db.session.scalar(db.select(Letter).where(Letter.person_id == person.id,
                                                    Letter.id != old.id))
    assert (tmp_path / "reprints" / f"{new.reference}.pdf").read_bytes() == new.pdf
    states = {i.reference: i.is_open for i in db.session.scalars(
        db.select(Invitation).where(Invitation.person_id == person.id))}
    assert states == {old.reference: False, new.reference: True}
    assert all(i.is_open for i in db.session.scalars(
        db.select(Invitation).where(Invitation.person_id == other.id)))
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "invitation.reprinted"))
    assert "letter lost" in event.details and old.reference in event.details


def test_reprint_is_refused_for_a_person_with_an_account(app, tmp_path):
    cohort = factories.cohort()
    (person,) = _people(cohort, 1)
    assert _run(app, cohort, tmp_path / "run").exit_code == 0
    letter = db.session.scalar(db.select(Letter))
    person.user = factories.user()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=[
        "letters", "reprint", "--reference", letter.reference, "--reason", "lost",
        "--out", str(tmp_path / "x")])
    assert result.exit_code != 0
    assert "heeft al een account" in result.output  # the command line speaks Dutch
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 1


def test_reprint_all_needs_a_reason_and_a_confirmation(app, tmp_path):
    cohort = factories.cohort()
    _people(cohort, 2)
    assert _run(app, cohort, tmp_path / "run").exit_code == 0
    first_codes = {i.id for i in db.session.scalars(db.select(Invitation))}
    assert _run(app, cohort, tmp_path / "r", "--reprint-all").exit_code != 0
    refused = _run(app, cohort, tmp_path / "r", "--reprint-all", "--reason", "x", input="n\n")
    assert refused.exit_code != 0
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 2
    result = _run(app, cohort, tmp_path / "r", "--reprint-all", "--reason", "misprint",
                  input="y\n")
    assert result.exit_code == 0, result.output
    invitations = db.session.scalars(db.select(Invitation)).all()
    assert {i.id for i in invitations if not i.is_open} == first_codes
    assert len([i for i in invitations if i.is_open]) == 2
    started = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "letters.run_started")).all()
    assert "misprint" in started[-1].details


def test_admin_reprints_one_letter_from_the_cohort_page(app, client, login_as, tmp_path):
    cohort = factories.cohort()
    (person,) = _people(cohort, 1)
    assert _run(app, cohort, tmp_path).exit_code == 0
    old = db.session.scalar(db.select(Letter))
    admin = login_as("admin", language="en")
    page = f"/admin/cohorts/{cohort.id}"
    empty = post_form(client, f"{page}/reprints", {"reference": old.reference, "reason": ""},
                      page=page)
    assert empty.status_code == 400
    response = post_form(client, f"{page}/reprints",
                         {"reference": old.reference.lower(), "reason": "moved house"},
                         page=page)
    assert response.status_code == 302
    new = db.session.scalar(db.select(Letter).where(Letter.id != old.id))
    assert response.headers["Location"].endswith(f"/letters/{new.public_id}.pdf")
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "invitation.reprinted"))
    assert event.actor_id == admin.id and "moved house" in event.details
    unknown = post_form(client, f"{page}/reprints", {"reference": "INV-NOPE", "reason": "x"},
                        page=page)
    assert unknown.status_code == 400
    assert "No invitation letter of this cohort" in unknown.get_data(as_text=True)


def test_a_code_of_a_person_who_has_an_account_leads_to_login(app, client):
    from portal.invitations import services

    cohort = factories.cohort()
    (person,) = _people(cohort, 1)
    _invitation, code = services.issue_invitation(person, cohort, actor=None)
    person.user = factories.user()
    db.session.commit()
    response = post_form(client, "/start?lang=en", {
        "code": code, "birth_date": person.birth_date.isoformat()}, page="/start?lang=en")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "already have an account" in page


def test_after_fixing_an_address_the_next_run_letters_only_that_person(app, tmp_path):
    cohort = factories.cohort()
    ok, = _people(cohort, 1)
    broken = factories.person(cohort, postcode="9000", last_name="Q" * 60)
    db.session.commit()
    assert _run(app, cohort, tmp_path / "a").exit_code == 1
    assert _lettered() == [ok.id]
    broken.last_name = "Quaghebeur"
    db.session.commit()
    result = _run(app, cohort, tmp_path / "b")
    assert result.exit_code == 0, result.output
    assert "Resuming" not in result.output
    assert _lettered() == [ok.id, broken.id]
