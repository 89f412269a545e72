"""An enterprise, or a reservist on its statement, contests a yearly compensation statement
with a reason within the period set; a Defence administrator who did not issue it answers,
and the one who asked gets the answer by e-mail in their language; the pages show where the
request stands."""

from datetime import UTC, date, datetime

import pytest

from portal.employers import statements
from portal.employers.models import StatementReview
from portal.extensions import db
from portal.letters.models import Letter
from tests.employers import helpers
from tests.employers.helpers import NUMBERS, employer, hr_user, signed_agreement
from tests.support import factories
from tests.support.client import login, post_form
from tests.support.letters import pdf_text
from tests.support.mail import last_mail_to, text_of

LAST_YEAR = date.today().year - 1
REASON = "Two days of the June exercise are missing from the count."


@pytest.fixture
def bakery(app, calendar, monkeypatch):
    # Long enough that last year's statement may be contested whatever today's date.
    monkeypatch.setitem(app.config, "EMPLOYER_STATEMENT_REVIEW_DAYS", 400)
    company = employer(NUMBERS[0], "Bakkerij Janssens BV")
    hr = hr_user(company, language="fr", email="rh@bakkerij.be")
    reservist = helpers.reservist(language="nl", first_name="An", last_name="Peeters")
    agreement = signed_agreement(company, hr=hr, reservist=reservist)
    agreement.signed_at = datetime(LAST_YEAR, 3, 1, tzinfo=UTC)
    calendar.served[(reservist.id, LAST_YEAR)] = 9
    admin = factories.user(role="admin", password=None, language="en")
    db.session.commit()
    return company, hr, reservist, admin


def _statement_url(company, year=LAST_YEAR):
    return f"/employer/enterprises/{company.id}/statements/{year}"


def _answer(client, admin, review, outcome="upheld", text="The attendance list shows 9 days.",
            corrected=""):
    login(client, admin)
    return post_form(
        client,
        f"/admin/employers/statement-reviews/{review.id}",
        {"outcome": outcome, "answer": text, "corrected": corrected},
        page="/admin/employers/statement-reviews",
    )


def test_an_enterprise_contests_its_statement_and_gets_the_answer_in_its_language(client, bakery):
    company, hr, _reservist, admin = bakery
    login(client, hr)
    page = client.get(_statement_url(company)).get_data(as_text=True)
    assert f"statements/{LAST_YEAR}/review" in page
    response = post_form(
        client,
        f"{_statement_url(company)}/review",
        {"reason": REASON},
        page=_statement_url(company),
    )
    assert response.status_code == 302
    page = client.get(_statement_url(company)).get_data(as_text=True)
    assert REASON in page and "attente" in page  # "waiting for an answer", in French
    review = db.session.scalar(db.select(StatementReview))
    assert (review.reservist_id, review.asked_by_id) == (None, hr.id)

    login(client, admin)
    queue = client.get("/admin/employers/statement-reviews").get_data(as_text=True)
    assert "Bakkerij Janssens BV" in queue and REASON in queue
    assert _answer(client, admin, review).status_code == 302

    mail = last_mail_to("rh@bakkerij.be")
    assert "Relevé des indemnités" in mail["Subject"]
    assert "The attendance list shows 9 days." in text_of(mail)
    assert "Maintenu" in text_of(mail)
    login(client, hr)
    page = client.get(_statement_url(company)).get_data(as_text=True)
    assert "The attendance list shows 9 days." in page and "Maintenu" in page
    # The answer is a letter too, to the enterprise, formal, with the next route.
    letter = db.session.scalar(db.select(Letter).where(
        Letter.kind == "statement_review_answer"))
    assert letter.user_id == hr.id and "fr" in letter.languages.split(",")
    assert f"/letters/{letter.public_id}.pdf" in page
    text = " ".join(pdf_text(client.get(f"/letters/{letter.public_id}.pdf").data).split())
    assert "The attendance list shows 9 days." in text
    assert "Médiateur fédéral" in text and "vous" in text


def test_a_reservist_contests_their_days_and_gets_the_answer_in_their_language(client, bakery):
    company, _hr, reservist, admin = bakery
    login(client, reservist)
    page = client.get("/reserve/employer/").get_data(as_text=True)
    assert f"/reserve/employer/statements/{company.id}/{LAST_YEAR}/review" in page
    response = post_form(
        client,
        f"/reserve/employer/statements/{company.id}/{LAST_YEAR}/review",
        {"reason": REASON},
        page="/reserve/employer/",
    )
    assert response.status_code == 302
    review = db.session.scalar(db.select(StatementReview))
    assert review.reservist_id == review.line_reservist_id == reservist.id
    assert _answer(client, admin, review, outcome="corrected", corrected="1.234,50"
                   ).status_code == 302
    assert db.session.get(StatementReview, review.id).corrected_cents == 123450
    mail = last_mail_to(reservist.email)
    assert "Vergoedingsoverzicht" in mail["Subject"]
    login(client, reservist)
    page = client.get("/reserve/employer/").get_data(as_text=True)
    assert "The attendance list shows 9 days." in page and "Gecorrigeerd" in page
    letter = db.session.scalar(db.select(Letter).where(
        Letter.kind == "statement_review_answer"))
    assert letter.user_id == reservist.id and letter.languages.startswith("nl")
    text = " ".join(pdf_text(client.get(f"/letters/{letter.public_id}.pdf").data).split())
    assert "federale Ombudsman" in text and "je " in text


def test_who_issued_the_statement_does_not_answer_its_review(client, bakery):
    company, hr, _reservist, admin = bakery
    statements.issue(statements.statement_for(company, LAST_YEAR), actor=admin)
    db.session.commit()
    login(client, hr)
    post_form(
        client,
        f"{_statement_url(company)}/review",
        {"reason": REASON},
        page=_statement_url(company),
    )
    review = db.session.scalar(db.select(StatementReview))
    response = _answer(client, admin, review)
    assert response.status_code == 400
    assert "colleague who did not" in response.get_data(as_text=True)
    assert db.session.get(StatementReview, review.id).is_open
    colleague = factories.user(role="admin", password=None, language="en")
    db.session.commit()
    assert _answer(client, colleague, review).status_code == 302


def test_after_the_period_or_without_a_reason_nothing_is_asked(app, client, bakery):
    company, hr, _reservist, _admin = bakery
    login(client, hr)
    short = post_form(
        client,
        f"{_statement_url(company)}/review",
        {"reason": "wrong"},
        page=_statement_url(company),
    )
    assert short.status_code == 400
    app.config["EMPLOYER_STATEMENT_REVIEW_DAYS"] = 0
    page = client.get(_statement_url(company)).get_data(as_text=True)
    assert f"statements/{LAST_YEAR}/review" not in page
    late = post_form(
        client,
        f"{_statement_url(company)}/review",
        {"reason": REASON},
        page=_statement_url(company),
    )
    assert late.status_code == 400
    assert db.session.scalar(db.select(StatementReview)) is None


def test_only_the_enterprise_and_its_reservists_contest_its_statement(client, bakery):
    company, _hr, _reservist, _admin = bakery
    stranger = hr_user(employer(NUMBERS[1], "Andere NV"))
    other = helpers.reservist(language="en")
    db.session.commit()
    login(client, stranger)
    response = post_form(
        client, f"{_statement_url(company)}/review", {"reason": REASON}, page="/employer/"
    )
    assert response.status_code == 404
    login(client, other)
    response = post_form(
        client,
        f"/reserve/employer/statements/{company.id}/{LAST_YEAR}/review",
        {"reason": REASON},
        page="/reserve/employer/",
    )
    assert response.status_code == 404
    assert db.session.scalar(db.select(StatementReview)) is None


def test_a_reservists_requests_are_in_their_export_and_go_with_their_erasure(client, bakery):
    from portal.employers import privacy
    from portal.models import utcnow

    company, _hr, reservist, _admin = bakery
    login(client, reservist)
    post_form(
        client,
        f"/reserve/employer/statements/{company.id}/{LAST_YEAR}/review",
        {"reason": REASON},
        page="/reserve/employer/",
    )
    exported = privacy.export(reservist)
    assert exported["statement_reviews"][0]["reason"] == REASON
    privacy.erase(reservist, None, utcnow())
    assert db.session.scalar(db.select(StatementReview)) is None


def test_the_answer_letter_is_made_after_the_answer_is_kept(app, bakery):
    """No PDF is rendered inside the answer's transaction: the letter waits for its commit
    (letters.pending), and the answer stands even before the letter exists."""
    from portal.accounts.models import User
    from portal.employers import statement_reviews
    from portal.letters.pending import LETTERS
    from portal.outbox import Delivery

    company, hr, _reservist, admin = bakery
    review = statement_reviews.ask(db.session.get(User, hr.id), company, LAST_YEAR, REASON,
                                   date.today())
    db.session.commit()
    answers = db.select(Letter).where(Letter.kind == "statement_review_answer")
    statement_reviews.answer(admin, review.id, "upheld", "The attendance list shows 9 days.")
    assert db.session.scalars(answers).all() == []
    (pending,) = db.session.scalars(db.select(Delivery).where(LETTERS)).all()
    assert pending.kind == "statement_review_answer"
    reference = pending.reference
    db.session.commit()
    (letter,) = db.session.scalars(answers).all()
    assert letter.reference == reference and letter.user_id == hr.id
    assert "The attendance list shows 9 days." in " ".join(pdf_text(letter.pdf).split())
