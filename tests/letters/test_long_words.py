"""A single word longer than a line (a 120-letter first name) has no place to break: the
greeting would run off the page. Both paths refuse that letter by the same rule, with the
reason, instead of printing it cut off; a long name that fits prints whole."""
from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.letters.models import Letter, RunItem
from portal.letters.services import NotPrintable
from tests.support import factories
from tests.support.letters import pdf_text

LONG_WORD = "Aurelianus" * 12  # 120 letters, one word


def test_a_letter_run_refuses_a_greeting_wider_than_its_line(app, tmp_path):
    cohort = factories.cohort()
    long = factories.person(cohort, postcode="9000", first_names=LONG_WORD, last_name="Peeters")
    fits = factories.person(cohort, postcode="9000", first_names="Aurelianus" * 3,
                            last_name="Peeters")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["letters", "run", "--cohort", cohort.name, "--out", str(tmp_path)])
    assert result.exit_code == 1
    failure = db.session.scalar(db.select(RunItem.failure).where(RunItem.key == long.id))
    assert "salutation is" in failure and "wide, its box 476.2 pt" in failure
    letters = {letter.person_id: letter for letter in db.session.scalars(db.select(Letter))}
    assert long.id not in letters
    assert "Aurelianus" * 3 in pdf_text(letters[fits.id].pdf)


def test_a_full_render_refuses_it_by_the_same_rule(app):
    from portal.invitations.letters import issue_letter

    cohort = factories.cohort()
    long = factories.person(cohort, postcode="5000", first_names=LONG_WORD, last_name="Dubois")
    fits = factories.person(cohort, postcode="5000", first_names="Aurelianus" * 3,
                            last_name="Dubois")
    db.session.commit()
    before = db.session.scalar(db.select(db.func.count(Letter.id)))
    with pytest.raises(NotPrintable) as refused:
        issue_letter(long, cohort, None)
    assert re.fullmatch(r"salutation is \d+\.\d pt wide, its box 476\.2 pt", refused.value.reason)
    assert refused.value.reason in refused.value.message
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == before
    letter, _code = issue_letter(fits, cohort, None)
    text = pdf_text(letter.pdf)
    assert "Aurelianus" * 3 + "," in text.replace("\u00a0", " ")


def test_a_recruiter_is_told_why_a_convocation_cannot_be_sent(app, client, login_as):
    """A candidate typed a 100-letter first name: convoking them is refused with the reason
    (no error page, no convocation without its letter)."""
    from portal.applications.models import Convocation, Status
    from tests.support import review as h

    intake = factories.intake()
    app_ = h.application(intake, status=Status.SCREENING, first_name="Aurelianus" * 10)
    day = h.selection_day(intake)
    db.session.commit()
    login_as("recruiter", language="en")
    response = h.post(client, f"/review/applications/{app_.id}/schedule", app_.id,
                      selection_day=str(day.id))
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "This letter cannot be printed whole (salutation is" in page
    assert db.session.scalar(db.select(Convocation).where(
        Convocation.application_id == app_.id)) is None
