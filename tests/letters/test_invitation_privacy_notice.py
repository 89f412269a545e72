"""The invitation's privacy notice says what really happens: the day the register data of
someone who does not sign up are deleted (the retention schedule's, not the code's expiry),
the law relied on, who receives the data, and every right, restriction included."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import format_date

from portal import i18n
from portal.extensions import db
from portal.invitations.letters import issue_letter
from tests.support import factories
from tests.support.letters import pdf_text


def test_the_notice_gives_the_deletion_day_law_recipients_and_restriction(app):
    cohort = factories.cohort()
    person = factories.person(cohort, postcode="1000")  # Brussels: French and Dutch
    db.session.commit()
    letter, _code = issue_letter(person, cohort, None)
    text = " ".join(pdf_text(letter.pdf).split())
    deleted = cohort.expires_on + timedelta(
        days=app.config["RETENTION_DAYS"]["persons_never_signed_up"])
    for language, law, restrict, printer in (
            ("nl", "wet van 8 augustus 1983", "beperken", "drukker (verwerker)"),
            ("fr", "loi du 8 août 1983", "limiter", "imprimeur (sous-traitant)")):
        with i18n.locale(language):
            day = format_date(deleted, "long")
        assert day in text, language
        assert law in text and restrict in text and printer in text, language
    assert "Defence, Service Year" not in text
