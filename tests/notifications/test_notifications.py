"""Candidates are told what happened: an e-mail in their language on each move they must
know about, sent after the commit, retried after an outage; reminders before an offer lapses;
text messages for those who chose them."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from portal.accounts.models import User
from portal.applications.models import Status
from portal.applications.review import services as review_services
from portal.applications.workflow import SYSTEM, transition
from portal.extensions import db
from portal.notifications.models import Notification, SmsChoice
from portal.outbox import Delivery
from portal.sms import FileGateway, SmsError
from tests.support import factories
from tests.support import review as h
from tests.support.candidate import fill, ready_to_apply, start, step_data
from tests.support.client import post_form, version_on
from tests.support.mail import html_of, last_mail_to, links_in, outbox, text_of
from tests.support.smtp import smtp_server


def test_submitting_sends_an_email_in_the_candidates_language_after_the_commit(client,
                                                                                login_as):
    user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    steps = step_data(intake)
    steps["personal"]["language"] = "fr"
    fill(client, application_id, steps)
    check = f"/my-application/{application_id}/check"
    post_form(client, f"/my-application/{application_id}/submit",
              {"version": version_on(client, check)}, page=check)

    mail = last_mail_to(user.email)
    assert mail["Subject"] == "Nous avons reçu ta candidature"
    text = text_of(mail)
    assert "Bonjour Lotte," in text and "Peeters" not in text and "Peeters" not in html_of(mail)
    assert any(link.endswith(f"/my-application/{application_id}") for link in links_in(mail))
    sent = db.session.scalar(db.select(Delivery).where(Delivery.kind == "submitted"))
    assert (sent.channel, _state(sent), sent.attempts) == ("email", "sent", 1)


def _state(row) -> str:
    return "sent" if row.sent_at else "failed" if row.failed_at else "pending"


def _states() -> dict:
    """Where the delivery of each channel stands."""
    return {row.channel: _state(row) for row in db.session.scalars(db.select(Delivery))}


def test_a_move_that_rolls_back_tells_nobody(app):
    intake = factories.intake()
    application = h.application(intake, status=Status.SELECTED, score=70,
                                offer_deadline=date.today())
    db.session.commit()
    transition(application, "expire_offer", SYSTEM, "offer deadline passed")
    db.session.rollback()
    db.session.commit()
    assert outbox() == [] and db.session.scalar(db.select(Notification)) is None


def test_the_offer_gives_its_deadline_and_a_waitlist_move_is_an_offer_too(app):
    intake = factories.intake(quota_total=5, quota_land=5)
    application = h.application(intake, status=Status.WAITLISTED, score=70, language="de",
                                first_name="Jonas", last_name="Schmitz", waitlist_rank=1)
    db.session.commit()
    transition(application, "select", SYSTEM, "waitlist: place freed", component="land")
    db.session.commit()
    mail = last_mail_to(db.session.get(User, application.user_id).email)
    text = text_of(mail)
    assert "Hallo Jonas," in text and "Schmitz" not in text
    deadline = application.offer_deadline
    assert f"{deadline.day}. " in text and str(deadline.year) in text
    assert "Antworte" in mail["Subject"] or "Angebot" in mail["Subject"]


def test_each_move_a_candidate_must_know_sends_one_email(app):
    intake = factories.intake(quota_total=5, quota_land=5)
    recruiter = factories.user("recruiter")
    day = h.selection_day(intake)
    screened = h.application(intake, status=Status.SCREENING)
    passed = h.application(intake, status=Status.SELECTED, score=60,
                           offer_deadline=date.today())
    db.session.commit()
    review_services.schedule_tests(screened, day, recruiter, None)
    transition(passed, "expire_offer", SYSTEM, "offer deadline passed")
    db.session.commit()
    kinds = sorted(n.kind for n in db.session.scalars(db.select(Notification)))
    assert kinds == ["convocation", "offer_lapsed"]
    assert len(outbox()) == 2
    convocation = [m for m in outbox() if day.place in text_of(m)]
    assert convocation, "the convocation names the place"


def test_a_mail_outage_leaves_the_email_waiting_and_the_sweep_sends_it_once(app):
    intake = factories.intake()
    application = h.application(intake, status=Status.SELECTED, score=70,
                                offer_deadline=date.today())
    db.session.commit()
    with smtp_server(app, started=False):  # the mail server is down
        transition(application, "expire_offer", SYSTEM, "offer deadline passed")
        db.session.commit()  # the move is kept although the e-mail could not go
    db.session.expire_all()
    handed = db.session.scalar(db.select(Delivery))
    assert handed.last_error == "ConnectionRefusedError" and _state(handed) == "pending"
    assert db.session.scalar(db.select(db.func.count(Delivery.id))) == 1
    assert db.session.get(type(application), application.id).status == Status.OFFER_DECLINED
    assert outbox() == []

    runner = app.test_cli_runner()
    assert "delivered 1" in runner.invoke(args=["deliveries", "sweep", "--all"]).output
    runner.invoke(args=["deliveries", "sweep", "--all"])
    runner.invoke(args=["deliveries", "sweep", "--all"])
    assert len(outbox()) == 1  # once, not once per retry mechanism


class DownGateway:
    """An SMS provider that is down while `down` is true."""

    down = True

    def __init__(self, config):
        self.config = config

    def send(self, phone: str, text: str) -> None:
        if DownGateway.down:
            raise SmsError("the gateway answered 503")
        FileGateway(self.config["SMS_DIR"]).send(phone, text)


def _texting_candidate(intake):
    user = factories.user("citizen", language="nl")
    db.session.add(SmsChoice(user_id=user.id, phone="0470 12 34 56"))
    return h.application(intake, status=Status.SELECTED, score=70, user=user,
                         offer_deadline=date.today())


def test_a_text_message_that_keeps_failing_stops_after_the_maximum(app, tmp_path):
    app.config.update(SMS_GATEWAY=f"{__name__}:DownGateway", SMS_DIR=str(tmp_path),
                      NOTIFY_MAX_ATTEMPTS=2)
    DownGateway.down = True
    try:
        application = _texting_candidate(factories.intake())
        db.session.commit()
        transition(application, "expire_offer", SYSTEM, "offer deadline passed")
        db.session.commit()
        db.session.expire_all()
        texted = db.session.scalar(db.select(Delivery).where(Delivery.channel == "sms"))
        assert _state(texted) == "pending" and texted.attempts == 1
        app.test_cli_runner().invoke(args=["deliveries", "sweep", "--all"])
    finally:
        app.config.update(SMS_GATEWAY=None, NOTIFY_MAX_ATTEMPTS=5)
    db.session.expire_all()
    by_channel = _states()
    assert by_channel == {"sms": "failed", "email": "sent"}


def test_the_daily_reminder_comes_once_before_the_offer_lapses(app):
    intake = factories.intake()
    soon = h.application(intake, status=Status.SELECTED, first_name="Emma",
                         offer_deadline=date.today() + timedelta(days=2))
    h.application(intake, status=Status.SELECTED, offer_deadline=date.today() + timedelta(days=9))
    h.application(intake, status=Status.SELECTED, offer_deadline=date.today() - timedelta(days=1))
    db.session.commit()
    runner = app.test_cli_runner()
    assert "1 reminders queued." in runner.invoke(args=["notifications", "remind"]).output
    assert "0 reminders queued." in runner.invoke(args=["notifications", "remind"]).output
    [mail] = outbox()
    assert "Emma" in text_of(mail)
    assert mail["To"] == db.session.get(User, soon.user_id).email


def test_a_citizen_who_chose_text_messages_gets_one_too(app, client, login_as, tmp_path):
    app.config.update(SMS_GATEWAY="file", SMS_DIR=str(tmp_path / "sms"))
    try:
        user = login_as("citizen", language="nl")
        page = client.get("/account").get_data(as_text=True)
        assert "/account/messages" in page
        response = post_form(client, "/account/messages", {"channel": "sms", "phone": ""})
        assert response.status_code == 400 and "gsm-nummer" in response.get_data(as_text=True)
        post_form(client, "/account/messages", {"channel": "sms", "phone": "0470 12 34 56"})
        assert db.session.get(SmsChoice, user.id).phone == "0470 12 34 56"

        intake = factories.intake()
        application = h.application(intake, status=Status.SELECTED, score=70, user=user,
                                    offer_deadline=date.today())
        db.session.commit()
        transition(application, "expire_offer", SYSTEM, "offer deadline passed")
        db.session.commit()
        [message] = list(Path(tmp_path / "sms").glob("*.txt"))
        text = message.read_text(encoding="utf-8")
        assert text.startswith("To: 0470 12 34 56") and "verlopen" in text
        assert f"/my-application/{application.id}" in text
        assert len(outbox()) == 1  # and the e-mail

        post_form(client, "/account/messages", {"channel": "email", "phone": ""})
        assert db.session.get(SmsChoice, user.id) is None
    finally:
        app.config.update(SMS_GATEWAY=None)


def test_without_a_gateway_there_is_no_choice(client, login_as):
    login_as("citizen")
    assert "/account/messages" not in client.get("/account").get_data(as_text=True)
    page = client.get("/account/messages")
    assert page.status_code == 200 and 'name="channel"' not in page.get_data(as_text=True)
    assert post_form(client, "/account/messages", {"channel": "sms", "phone": "0470 12 34 56"},
                page="/account").status_code == 404


def test_with_a_job_queue_messages_go_through_it_and_are_retried(app, tmp_path):
    import os
    import secrets

    from redis import Redis
    from rq import Queue

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    name = f"test-notify-{secrets.token_hex(4)}"
    saved = {k: app.config[k] for k in ("REDIS_URL", "JOBS_INLINE", "RQ_QUEUE", "SMS_GATEWAY")}
    DownGateway.down = True
    try:
        application = _texting_candidate(factories.intake())
        db.session.commit()
        app.config.update(REDIS_URL=url, JOBS_INLINE=False, RQ_QUEUE=name,
                          SMS_GATEWAY=f"{__name__}:DownGateway", SMS_DIR=str(tmp_path))
        transition(application, "expire_offer", SYSTEM, "offer deadline passed")
        db.session.commit()
        queue = Queue(name, connection=Redis.from_url(url))
        assert queue.count == 1 and outbox() == []  # queued, not sent by the request

        # The SMS provider is down: the job fails and the queue keeps it for a retry.
        app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
        db.session.expire_all()
        states = _states()
        assert states == {"email": "sent", "sms": "pending"}
        assert len(outbox()) == 1
        [job_id] = queue.scheduled_job_registry.get_job_ids()
        assert queue.fetch_job(job_id).retries_left == 2

        # Back up: the retry delivers the text message, and the e-mail is not sent again.
        DownGateway.down = False
        queue.enqueue_job(queue.fetch_job(job_id))
        app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
        db.session.expire_all()
        assert set(_states().values()) == {"sent"}
        assert len(list(tmp_path.glob("*.txt"))) == 1
        assert len(outbox()) == 1
    finally:
        DownGateway.down = True
        Queue(name, connection=Redis.from_url(url)).delete(delete_jobs=True)
        app.config.update(saved)
