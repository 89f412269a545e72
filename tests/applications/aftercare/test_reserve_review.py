"""The refusal of an application to the Reserve can be contested like a selection
decision: from the engagement's page, answered by a staff member who did not refuse it,
with a letter naming the Council of State and an e-mail."""
from __future__ import annotations

from portal.accounts.models import User
from portal.applications.models import ReviewRequest
from portal.extensions import db
from portal.letters.models import Letter
from portal.reserve import workflow
from portal.reserve.models import EngagementStatus
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.client import login, post_form
from tests.support.letters import pdf_text
from tests.support.mail import last_mail_to, text_of

REASON = "My diploma in network security was uploaded but not taken into account."


def _refused(login_as):
    citizen = login_as("citizen", language="en")
    engagement = helpers.engagement(citizen, status=EngagementStatus.SCREENING)
    refuser = factories.user("recruiter", language="en")
    workflow.transition(engagement, "reject", refuser, "No place in this pillar this year.")
    db.session.commit()
    return citizen, engagement, refuser


def test_a_refused_reservist_asks_and_an_uninvolved_colleague_answers(client, login_as):
    citizen, engagement, refuser = _refused(login_as)
    page = client.get(f"/reserve/engagements/{engagement.id}").get_data(as_text=True)
    assert "Ask for a review" in page
    url = f"/my-reserve-application/{engagement.id}/review-request"
    response = post_form(client, url, {"reason": REASON}, follow_redirects=True)
    assert "Your request for a review is sent" in response.get_data(as_text=True)
    request_ = db.session.scalar(db.select(ReviewRequest))
    assert request_.engagement_id == engagement.id and request_.application_id is None

    login(client, refuser)
    staff_page = f"/staff/reserve/engagements/{engagement.id}"
    assert "a colleague who did not must answer this request" in client.get(
        staff_page).get_data(as_text=True)
    colleague = factories.user("recruiter", language="en")
    db.session.commit()
    login(client, colleague)
    assert engagement.reference in client.get("/review/review-requests").get_data(as_text=True)
    response = post_form(client, f"/review/review-requests/{request_.id}/answer",
                         {"outcome": "upheld",
                          "answer": "The diploma was read; the pillar has no place left."},
                         page=staff_page, follow_redirects=True)
    assert "Answer recorded" in response.get_data(as_text=True)
    letter = db.session.scalars(db.select(Letter).where(Letter.kind == "review_answer")).one()
    text = " ".join(pdf_text(letter.pdf).split())
    assert engagement.reference in text and "Reserve" in text
    assert "Council of State" in text or "Raad van State" in text
    assert "answered your request for a review" in text_of(last_mail_to(citizen.email))
    login(client, db.session.get(User, citizen.id))
    page = client.get(f"/reserve/engagements/{engagement.id}").get_data(as_text=True)
    assert "Upheld: the decision stands" in page


def test_someone_else_cannot_contest_a_reservists_refusal(client, login_as):
    _citizen, engagement, _refuser = _refused(login_as)
    login_as("citizen", language="en")
    assert client.get(f"/my-reserve-application/{engagement.id}/review-request"
                      ).status_code == 404
