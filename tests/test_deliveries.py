"""One delivery path: e-mails, text messages and letters wait in one table when they cannot
go at once, and `flask deliveries sweep` delivers them later, each exactly once."""
from __future__ import annotations

import os
import secrets
from datetime import date, timedelta
from pathlib import Path

from portal import outbox
from portal.applications.models import Status
from portal.applications.workflow import SYSTEM, transition
from portal.extensions import db
from portal.letters.models import Letter
from portal.notifications.models import SmsChoice
from portal.outbox import Delivery
from portal.reserve import workflow
from portal.reserve.models import EngagementStatus
from portal.sms import FileGateway, SmsError
from tests.support import factories
from tests.support import reserve as helpers
from tests.support import review as h
from tests.support.client import post_form
from tests.support.mail import outbox as written_mails
from tests.support.smtp import smtp_server


def _sweep(app) -> str:
    return app.test_cli_runner().invoke(args=["deliveries", "sweep", "--all"]).output


def _screened_engagement(language="fr"):
    expert = factories.user(language=language)
    engagement = helpers.engagement(expert, status=EngagementStatus.SCREENING,
                                    unit=helpers.unit(), start_date=date.today())
    return expert, engagement


def test_an_email_the_mail_server_refused_arrives_once_after_the_sweep(app):
    expert, engagement = _screened_engagement()
    recruiter = factories.user(role="recruiter")
    db.session.commit()
    with smtp_server(app, started=False) as inbox:
        workflow.transition(engagement, "approve", recruiter)
        db.session.commit()  # the move stays although its e-mail could not go
        db.session.expire_all()
        [waiting] = db.session.scalars(db.select(Delivery).where(
            Delivery.channel == "email", Delivery.recipient == expert.email)).all()
        assert waiting.sent_at is None and waiting.last_error == "ConnectionRefusedError"
        assert expert.email.encode() not in bytes(waiting.message)  # sealed

        inbox.start()
        assert "0 still waiting" in _sweep(app)
        _sweep(app)  # cron again: nothing is sent twice
    [message] = [m for m in inbox.messages if m["To"] == expert.email]
    assert message["Content-Language"] == "fr"  # made after the commit, in their language
    assert db.session.get(type(engagement), engagement.id).status == EngagementStatus.APPROVED


def test_a_letter_whose_delivery_was_lost_is_made_by_the_sweep(app, monkeypatch):
    expert, engagement = _screened_engagement(language="nl")
    recruiter = factories.user(role="recruiter")
    db.session.commit()
    # The process is killed right after the commit: nothing is delivered.
    monkeypatch.setattr(outbox, "_deliver_here", lambda ids: list(ids))
    workflow.transition(engagement, "approve", recruiter)
    db.session.commit()
    assert db.session.scalar(db.select(Letter)) is None and written_mails() == []
    monkeypatch.undo()

    assert "0 still waiting; 0 given up" in _sweep(app)
    db.session.expire_all()
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "reserve"))
    assert letter is not None and letter.user_id == expert.id
    assert [m["To"] for m in written_mails()] == [expert.email]
    assert "delivered 0; 0 still waiting" in _sweep(app)  # made once


class DownGateway:
    """An SMS provider that is down while `down` is true."""

    down = True

    def __init__(self, config):
        self.config = config

    def send(self, phone: str, text: str) -> None:
        if DownGateway.down:
            raise SmsError("the gateway answered 503")
        FileGateway(self.config["SMS_DIR"]).send(phone, text)


def test_a_text_message_the_gateway_refused_goes_with_the_sweep(app, tmp_path):
    app.config.update(SMS_GATEWAY=f"{__name__}:DownGateway", SMS_DIR=str(tmp_path))
    DownGateway.down = True
    try:
        user = factories.user("citizen", language="nl")
        db.session.add(SmsChoice(user_id=user.id, phone="0470 12 34 56"))
        application = h.application(factories.intake(), status=Status.SELECTED, score=70,
                                    user=user, offer_deadline=date.today())
        db.session.commit()
        transition(application, "expire_offer", SYSTEM, "offer deadline passed")
        db.session.commit()
        assert list(tmp_path.glob("*.txt")) == [] and len(written_mails()) == 1

        DownGateway.down = False
        assert "delivered 1; 0 still waiting" in _sweep(app)
        _sweep(app)
    finally:
        DownGateway.down = True
        app.config.update(SMS_GATEWAY=None)
    [text] = list(Path(tmp_path).glob("*.txt"))
    assert text.read_text(encoding="utf-8").startswith("To: 0470 12 34 56")
    assert len(written_mails()) == 1  # the e-mail went once, at the move


def test_a_move_request_opens_no_smtp_connection_the_worker_sends_it(app, client, login_as):
    from redis import Redis
    from rq import Queue

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    name = f"test-deliveries-{secrets.token_hex(4)}"
    expert, engagement = _screened_engagement()
    unit = engagement.unit
    db.session.commit()
    login_as("recruiter", language="en")
    saved = {k: app.config[k] for k in ("REDIS_URL", "JOBS_INLINE", "RQ_QUEUE")}
    try:
        with smtp_server(app) as inbox:
            app.config.update(REDIS_URL=url, JOBS_INLINE=False, RQ_QUEUE=name)
            page = f"/staff/reserve/engagements/{engagement.id}"
            response = post_form(client, f"{page}/move", {
                "action": "approve", "version": str(engagement.version), "unit_id": str(unit.id),
                "start_date": (date.today() + timedelta(days=30)).isoformat()}, page=page)
            assert response.status_code == 302
            db.session.expire_all()
            assert engagement.status == EngagementStatus.APPROVED
            assert inbox.messages == []  # the request answered without talking to the server
            assert Queue(name, connection=Redis.from_url(url)).count >= 1

            app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
            assert [m["To"] for m in inbox.messages] == [expert.email]
            assert db.session.scalar(db.select(Letter).where(Letter.kind == "reserve"))
    finally:
        Queue(name, connection=Redis.from_url(url)).delete(delete_jobs=True)
        app.config.update(saved)


def test_an_email_about_something_erased_before_it_went_is_not_sent(app, monkeypatch):
    erased = factories.user(email="weg@example.be")
    db.session.commit()
    monkeypatch.setattr(outbox, "_deliver_here", lambda ids: list(ids))  # a lost hand-over
    outbox.later("someone@example.be", "notice", "nl", "Onderwerp", name="Lien", lines=(),
                 link=None, link_label=None, about=erased)
    db.session.commit()
    monkeypatch.undo()
    db.session.delete(erased)
    db.session.commit()

    assert "0 still waiting; 0 given up" in _sweep(app)
    assert written_mails() == []
    assert db.session.scalar(db.select(db.func.count(Delivery.id))) == 0
