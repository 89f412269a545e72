"""A candidate asks for a review of a rejection or a place on the waiting list, with a
reason, within REVIEW_REQUEST_DAYS; a staff member who took no part in the decision
answers it; the answer is a letter with the next route and an e-mail; the dashboard
counts the requests waiting and a numbered queue lists them."""
from __future__ import annotations

from datetime import timedelta

from portal.accounts.models import User
from portal.applications.models import (
    Application,
    ApplicationEvent,
    Decision,
    ReviewRequest,
    Status,
)
from portal.audit import AuditEvent
from portal.extensions import db
from portal.letters.models import Letter
from portal.models import utcnow
from tests.support import factories
from tests.support import review as h
from tests.support.client import login, post_form
from tests.support.letters import pdf_text
from tests.support.mail import last_mail_to, text_of

REASON = "My sports test was on the day after a fever; my doctor's note was not read."


def _rejected(login_as, days_ago: int = 2, status: str = Status.REJECTED):
    """A signed-in candidate whose application two recruiters decided on `days_ago`."""
    user = login_as("citizen", language="en")
    intake = factories.intake()
    proposer, confirmer = (factories.user("recruiter", language="en") for _ in range(2))
    decided = utcnow() - timedelta(days=days_ago)
    application = h.application(intake, status=status, user=user, language="en",
                                decided_at=decided, confirmed=False,
                                waitlist_rank=1 if status == Status.WAITLISTED else None)
    action = "reject" if status == Status.REJECTED else "waitlist"
    db.session.add(Decision(application_id=application.id, action=action,
                            reason_code="ranking", application_version=1,
                            proposed_by_id=proposer.id, resolved_by_id=confirmer.id,
                            resolved_at=decided, outcome="confirmed"))
    db.session.add(ApplicationEvent(application_id=application.id, action=action,
                                    from_status=Status.TESTS_PASSED, to_status=status,
                                    actor_id=confirmer.id, at=decided))
    db.session.commit()
    return user, application, proposer, confirmer


def _ask(client, application, reason=REASON):
    url = f"/my-application/{application.id}/review-request"
    return post_form(client, url, {"reason": reason}, follow_redirects=True)


def test_the_candidate_asks_for_a_review_from_the_application_page(client, login_as):
    _user, application, *_ = _rejected(login_as)
    page = " ".join(client.get(f"/my-application/{application.id}").get_data(as_text=True)
                    .split())
    assert "Ask for a review" in page and "you can ask us to review it until" in page
    response = _ask(client, application)
    text = " ".join(response.get_data(as_text=True).split())
    assert "Your request for a review is sent" in text
    assert "You asked for a review on" in text
    request_ = db.session.scalar(db.select(ReviewRequest))
    assert request_.reason == REASON and request_.contested == Status.REJECTED
    # A second request about the same decision changes nothing.
    _ask(client, application, "Another try with another reason.")
    assert db.session.scalar(db.select(db.func.count(ReviewRequest.id))) == 1


def test_a_request_without_a_reason_is_refused_with_a_message(client, login_as):
    _user, application, *_ = _rejected(login_as)
    response = post_form(client, f"/my-application/{application.id}/review-request",
                         {"reason": "no"})
    assert response.status_code == 400
    assert "Tell us why you disagree, in at least 10 characters." in response.get_data(
        as_text=True)
    assert db.session.scalar(db.select(ReviewRequest)) is None


def test_after_the_period_no_review_can_be_asked(app, client, login_as):
    days = app.config["REVIEW_REQUEST_DAYS"]
    _user, application, *_ = _rejected(login_as, days_ago=days + 1)
    page = client.get(f"/my-application/{application.id}").get_data(as_text=True)
    assert "Ask for a review" not in page
    response = post_form(client, f"/my-application/{application.id}/review-request",
                         {"reason": REASON}, page=f"/my-application/{application.id}")
    assert response.status_code == 400
    assert f"it was {days} days after the decision" in response.get_data(as_text=True)


def test_the_deciders_cannot_answer_a_colleague_does_and_the_candidate_gets_letter_and_mail(
        client, login_as):
    user, application, proposer, confirmer = _rejected(login_as)
    _ask(client, application)
    request_ = db.session.scalar(db.select(ReviewRequest))
    for decider in (proposer, confirmer):
        login(client, decider)
        page = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
        assert "a colleague who did not must answer this request" in page
        response = post_form(client, f"/review/review-requests/{request_.id}/answer",
                             {"outcome": "upheld", "answer": "The note came too late."},
                             page=f"/review/applications/{application.id}",
                             follow_redirects=True)
        assert "a colleague who did not must answer this request" in response.get_data(
            as_text=True)
    db.session.expire_all()
    assert db.session.get(ReviewRequest, request_.id).is_open
    colleague = factories.user("recruiter", language="en")
    db.session.commit()
    login(client, colleague)
    response = post_form(client, f"/review/review-requests/{request_.id}/answer",
                         {"outcome": "upheld",
                          "answer": "The sports test was retaken and not passed."},
                         page=f"/review/applications/{application.id}", follow_redirects=True)
    assert "Answer recorded" in response.get_data(as_text=True)
    db.session.expire_all()
    answered = db.session.get(ReviewRequest, request_.id)
    assert answered.outcome == "upheld" and answered.answered_by_id == colleague.id
    letter = db.session.scalars(db.select(Letter).where(Letter.kind == "review_answer")).one()
    text = " ".join(pdf_text(letter.pdf).split())
    assert "The sports test was retaken and not passed." in text
    assert "Council of State" in text or "Raad van State" in text or "Conseil d'État" in text
    mail = last_mail_to(user.email)
    assert "answered your request for a review" in text_of(mail)
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "review_request.answered")).actor_id == colleague.id
    # The candidate reads the answer on the application page.
    login(client, db.session.get(User, user.id))
    page = client.get(f"/my-application/{application.id}").get_data(as_text=True)
    assert "Upheld: the decision stands" in page


def test_a_place_on_the_waiting_list_can_be_contested_too(client, login_as):
    _user, application, *_ = _rejected(login_as, status=Status.WAITLISTED)
    assert "Ask for a review" in client.get(f"/my-application/{application.id}").get_data(
        as_text=True)
    _ask(client, application)
    assert db.session.scalar(db.select(ReviewRequest)).contested == Status.WAITLISTED


def test_the_dashboard_counts_the_requests_and_the_queue_lists_them(client, login_as):
    _user, application, *_ = _rejected(login_as)
    _ask(client, application)
    login(client, factories.user("recruiter", language="en"))
    db.session.commit()
    assert 'href="/review/review-requests"' in client.get("/staff").get_data(as_text=True)
    board = " ".join(client.get(f"/review/intakes/{application.intake_id}/dashboard")
                     .get_data(as_text=True).split())
    assert "1 request for a review" in board
    queue = " ".join(client.get(f"/review/review-requests?intake={application.intake_id}")
                     .get_data(as_text=True).split())
    assert application.reference in queue and "1–1 of 1 application" in queue
    # Page numbers past the last show the last page (paging.Numbered).
    late = client.get("/review/review-requests?page=7").get_data(as_text=True)
    assert "Page 7 does not exist" in late and application.reference in late


def test_candidates_cannot_see_the_queue(client, login_as):
    login_as("citizen", language="en")
    assert client.get("/review/review-requests").status_code in (403, 404)


def test_an_overturned_rejection_goes_back_to_screening_for_a_new_decision(client, login_as):
    _user, application, *_ = _rejected(login_as)
    _ask(client, application)
    request_ = db.session.scalar(db.select(ReviewRequest))
    colleague = factories.user("recruiter", language="en")
    db.session.commit()
    login(client, colleague)
    post_form(client, f"/review/review-requests/{request_.id}/answer",
              {"outcome": "overturned",
               "answer": "The doctor's note shows the fever: the test is to be retaken."},
              page=f"/review/applications/{application.id}")
    db.session.expire_all()
    reopened = db.session.get(Application, application.id)
    assert reopened.status == Status.SCREENING
    event = db.session.scalars(db.select(ApplicationEvent).where(
        ApplicationEvent.application_id == application.id,
        ApplicationEvent.action == "reopen")).one()
    assert event.actor_id == colleague.id and event.to_status == Status.SCREENING
    letter = db.session.scalars(db.select(Letter).where(Letter.kind == "review_answer")).one()
    assert "the test is to be retaken" in " ".join(pdf_text(letter.pdf).split())
    page = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert "Reopened after a review" in page
