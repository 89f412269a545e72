"""The one reminder: invited people who neither signed up nor answered get a second letter
INVITATION_REMINDER_DAYS after their invitation, once, with a new code that replaces the
first; an answer ("not interested", "maybe later") or an account stops it."""
from __future__ import annotations

import html
import re
from datetime import date, timedelta
from io import BytesIO

from pypdf import PdfReader

from portal.extensions import db
from portal.invitations import services
from portal.invitations.letters import issue_letter
from portal.invitations.models import Invitation
from portal.letters.models import Letter
from tests.support import factories
from tests.support.client import post_form

BIRTH = date(2008, 5, 17)


def _run(app, cohort, out, source="invitation"):
    return app.test_cli_runner().invoke(args=[
        "letters", "run", "--source", source, "--cohort", cohort.name, "--out", str(out)])


def _age_letters(days: int) -> None:
    """The invitation letters were made `days` ago."""
    for letter in db.session.scalars(db.select(Letter).where(Letter.kind == "invitation")):
        letter.created_at = letter.created_at - timedelta(days=days)
    db.session.commit()


def _reminded() -> list[int]:
    return list(db.session.scalars(db.select(Letter.person_id).where(
        Letter.kind == "invitation_reminder").order_by(Letter.person_id)))


def _text(letter: Letter) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(letter.pdf)).pages)


def test_only_the_silent_are_reminded_once_and_only_when_it_is_time(app, tmp_path):
    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    silent, not_interested, later, member = (
        factories.person(cohort, postcode=code, birth_date=BIRTH)
        for code in ("1000", "2000", "3000", "4000"))
    db.session.commit()
    result = _run(app, cohort, tmp_path / "invitations")
    assert result.exit_code == 0, result.output + str(result.exception)

    # Too early: the letters are younger than INVITATION_REMINDER_DAYS.
    _age_letters(app.config["INVITATION_REMINDER_DAYS"] - 2)
    result = _run(app, cohort, tmp_path / "early", "reminder")
    assert result.exit_code == 0 and "Nothing to print" in result.output, result.output

    invitation_of = {i.person_id: i for i in db.session.scalars(db.select(Invitation))}
    services.record_answer(invitation_of[not_interested.id], "not_interested")
    services.record_answer(invitation_of[later.id], "later")
    member.user = factories.user()
    _age_letters(3)
    result = _run(app, cohort, tmp_path / "reminders", "reminder")
    assert result.exit_code == 0, result.output
    assert "1 letters printed" in result.output
    assert _reminded() == [silent.id]
    assert (tmp_path / "reminders" / "manifest.csv").exists()

    # Once: a second reminder run finds nobody.
    result = _run(app, cohort, tmp_path / "again", "reminder")
    assert "Nothing to print" in result.output
    assert _reminded() == [silent.id]
    # "Maybe later" keeps the first letter's code.
    assert invitation_of[later.id].is_open


def test_the_reminder_carries_a_new_code_and_says_how_to_answer(app, client, tmp_path):
    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    person = factories.person(cohort, postcode="9000", birth_date=BIRTH, language="nl")
    _letter, first_code = issue_letter(person, cohort, actor=None)
    db.session.commit()
    _age_letters(app.config["INVITATION_REMINDER_DAYS"] + 1)
    assert _run(app, cohort, tmp_path, "reminder").exit_code == 0

    reminder = db.session.scalar(db.select(Letter).where(Letter.kind == "invitation_reminder"))
    text = _text(reminder)
    assert "herinnering" in text.lower() and "rappel" in text.lower()
    assert "/start/answer" in text
    assert cohort.expires_on.strftime("%Y") in text
    invitations = db.session.scalars(db.select(Invitation).where(
        Invitation.person_id == person.id).order_by(Invitation.id)).all()
    assert [i.is_open for i in invitations] == [False] * (len(invitations) - 1) + [True]
    assert invitations[-1].reference == reminder.reference

    # The first letter's code no longer opens the invitation; the answer page refuses it.
    client.set_cookie("lang", "en")
    refused = post_form(client, "/start/answer", {
        "code": first_code, "birth_date": BIRTH.isoformat(), "answer": "later"})
    assert "do not open an invitation" in refused.get_data(as_text=True)


def test_the_administrators_start_it_from_the_run_page_and_recruiters_never_read_it(
        app, client, tmp_path, login_as):
    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    person = factories.person(cohort, postcode="9000", birth_date=BIRTH)
    db.session.commit()
    assert _run(app, cohort, tmp_path / "a").exit_code == 0
    _age_letters(app.config["INVITATION_REMINDER_DAYS"] + 1)
    login_as("admin", language="en")
    cohort_page = client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert '<dd id="count-reminded">0</dd>' in cohort_page
    link = re.search(r'<dd id="count-reminder-due">1 · <a href="([^"]+)">Print the reminders',
                     cohort_page).group(1)
    page = client.get(html.unescape(link)).get_data(as_text=True)
    assert re.search(rf'<option selected value="reminder:{cohort.id}">Reminders of the '
                     rf'invitation', page), page
    assert _run(app, cohort, tmp_path / "b", "reminder").exit_code == 0
    reminder = db.session.scalar(db.select(Letter).where(Letter.kind == "invitation_reminder"))
    assert reminder.person_id == person.id
    assert client.get(f"/letters/{reminder.public_id}.pdf").status_code == 200
    cohort_page = client.get(f"/admin/cohorts/{cohort.id}").get_data(as_text=True)
    assert '<dd id="count-reminded">1</dd>' in cohort_page
    assert '<dd id="count-reminder-due">0</dd>' in cohort_page
    login_as("recruiter", language="en")
    assert client.get(f"/letters/{reminder.public_id}.pdf").status_code in (403, 404)


def test_no_reminder_after_the_codes_have_expired(app, tmp_path):
    cohort = factories.cohort(born_from=date(2008, 1, 1), born_to=date(2008, 12, 31))
    factories.person(cohort, postcode="9000", birth_date=BIRTH)
    db.session.commit()
    assert _run(app, cohort, tmp_path / "a").exit_code == 0
    _age_letters(app.config["INVITATION_REMINDER_DAYS"] + 1)
    cohort.expires_on = date.today() - timedelta(days=1)
    db.session.commit()
    result = _run(app, cohort, tmp_path / "b", "reminder")
    assert result.exit_code != 0 and cohort.name in result.output
    assert _reminded() == []
