"""The engagement letter is made after the move's commit: the recruiter's move answers at
once, the letter tells the outcome of that move even if the engagement moves on before it
is made, and the reservist's page says when a letter is still being made or failed."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext

from portal import i18n
from portal.extensions import db
from portal.letters.models import Letter
from portal.letters.pending import LETTERS
from portal.models import utcnow
from portal.outbox import Delivery
from portal.reserve import vocab, workflow
from portal.reserve.models import EngagementEvent, EngagementStatus
from tests.support import factories
from tests.support import reserve as helpers
from tests.support.client import login
from tests.support.letters import pdf_text


def _screened(language: str = "fr"):
    unit = helpers.unit()
    owner = factories.user(language=language)
    engagement = helpers.engagement(owner, status=EngagementStatus.SCREENING, unit=unit,
                                    start_date=date.today())
    db.session.commit()
    return owner, engagement


def test_the_move_renders_no_letter_the_commit_does(app):
    recruiter = factories.user(role="recruiter")
    _owner, engagement = _screened()
    workflow.transition(engagement, "approve", recruiter)
    waiting = db.session.scalar(db.select(Delivery).where(LETTERS))
    assert waiting is not None and waiting.kind == "reserve"
    reference = waiting.reference
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 0
    db.session.commit()
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "reserve"))
    assert letter is not None and letter.reference == reference
    assert db.session.scalar(db.select(db.func.count(Delivery.id)).where(LETTERS)) == 0


def test_the_letter_tells_the_move_it_was_issued_for(app):
    recruiter = factories.user(role="recruiter")
    _owner, engagement = _screened(language="en")
    workflow.transition(engagement, "reject", recruiter, reason="medical")
    # The engagement moves on in the same transaction: the letter is still the rejection's.
    engagement.status = EngagementStatus.WITHDRAWN
    db.session.add(EngagementEvent(engagement_id=engagement.id, action="withdraw",
                                   from_status="rejected", to_status="withdrawn",
                                   reason="", at=utcnow()))
    db.session.commit()
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "reserve"))
    text = " ".join(pdf_text(letter.pdf).split())
    with i18n.locale("fr"):
        assert " ".join(str(vocab.REJECTION_REASONS["medical"]).split()) in text
    with i18n.locale("fr"):
        assert str(gettext("Your engagement in the Reserve")) not in text


def test_the_page_says_a_letter_is_being_made_or_could_not_be(app, client):
    owner, engagement = _screened(language="en")
    for failed in (None, utcnow()):
        db.session.add(Delivery(
            channel="letter", kind="reserve",
            reference=f"RS-{engagement.id}-{'F' if failed else 'P'}",
            maker="portal.reserve.letters:make", subject_type="Engagement",
            subject_id=str(engagement.id), user_id=owner.id, params="{}",
            created_at=utcnow(), attempts=1 if failed else 0, failed_at=failed))
    db.session.commit()
    login(client, owner)
    page = client.get(f"/reserve/engagements/{engagement.id}").get_data(as_text=True)
    assert "This letter is being prepared: it appears here within a minute." in page
    assert "This letter could not be made. The Reserve service sees this" in page
