"""Letters made after the commit of the move that issues them (letters.pending): with a job
queue the move answers at once and a worker makes the letter; a lost job is made by
`flask deliveries sweep`; a letter refused at render is shown to staff and candidate; a
decision letter announces the decision even when the application moved on meanwhile."""
from __future__ import annotations

import os
import secrets
from contextlib import contextmanager

import pytest

from portal.accounts.models import User
from portal.applications.models import Application, Status
from portal.applications.workflow import SYSTEM, transition
from portal.extensions import db
from portal.letters.models import Letter
from portal.letters.pending import LETTERS
from portal.outbox import Delivery
from tests.support import factories
from tests.support import review as h
from tests.support.candidate import fill, ready_to_apply, start, step_data
from tests.support.client import download_my_data, version_on
from tests.support.client import post_form as post
from tests.support.letters import pdf_text


@contextmanager
def _job_queue(app):
    """The portal with a real RQ queue of its own (TEST_REDIS_URL), worked by hand."""
    from redis import Redis
    from rq import Queue

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    name = f"test-letters-{secrets.token_hex(4)}"
    saved = {k: app.config[k] for k in ("REDIS_URL", "JOBS_INLINE", "RQ_QUEUE")}
    app.config.update(REDIS_URL=url, JOBS_INLINE=False, RQ_QUEUE=name)
    queue = Queue(name, connection=Redis.from_url(url))
    try:
        yield queue
    finally:
        queue.delete(delete_jobs=True)
        app.config.update(saved)


def _work(app) -> None:
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def _submit(client, login_as) -> int:
    _user, intake = ready_to_apply(login_as)
    application_id = start(client, intake)
    fill(client, application_id, step_data(intake))
    check = f"/my-application/{application_id}/check"
    response = post(client, f"/my-application/{application_id}/submit",
                    {"version": version_on(client, check)}, page=check)
    assert response.status_code == 302
    return application_id


def test_with_a_job_queue_the_submit_answers_and_a_worker_makes_the_letter(
        app, client, login_as):
    with _job_queue(app) as queue:
        application_id = _submit(client, login_as)
        # Submitted, the letter's reference fixed, the letter itself not made yet.
        assert db.session.get(Application, application_id).status == Status.SUBMITTED
        row = db.session.scalar(db.select(Delivery).where(LETTERS))
        assert row.kind == "acknowledgement" and queue.count >= 1
        assert db.session.scalar(db.select(Letter)) is None
        page = client.get(f"/my-application/{application_id}").get_data(as_text=True)
        assert "This letter is being prepared" in page and row.reference in page

        reference = row.reference
        _work(app)
        letter = db.session.scalar(db.select(Letter))
        assert letter.reference == reference and letter.kind == "acknowledgement"
        assert db.session.scalar(db.select(Delivery).where(LETTERS)) is None
        page = client.get(f"/my-application/{application_id}").get_data(as_text=True)
        assert f"/letters/{letter.public_id}.pdf" in page
        assert "being prepared" not in page
        assert db.session.get(Application, application_id).reference in pdf_text(letter.pdf)


def test_a_letter_whose_job_was_lost_is_made_by_the_sweep(app, client, login_as):
    with _job_queue(app) as queue:
        _submit(client, login_as)
        queue.empty()  # Redis lost its jobs (a restart without persistence)
        _work(app)
        assert db.session.scalar(db.select(Letter)) is None

        result = app.test_cli_runner().invoke(args=["deliveries", "sweep", "--all"])
        assert result.exit_code == 0 and "; 0 still waiting; 0 given up" in result.output
        db.session.expire_all()
        assert db.session.scalar(db.select(Letter)).kind == "acknowledgement"
        # Run again (cron): nothing left, nothing issued twice.
        again = app.test_cli_runner().invoke(args=["deliveries", "sweep", "--all"])
        assert "delivered 0; 0 still waiting" in again.output
        assert len(db.session.scalars(db.select(Letter)).all()) == 1


def test_a_letter_refused_at_render_is_shown_to_staff_and_to_the_candidate(
        app, client, login_as):
    with _job_queue(app):
        application_id = _submit(client, login_as)
        app.config["LETTER_RENDER_TIMEOUT"] = 0.001  # every render passes its time limit
        try:
            _work(app)
        finally:
            app.config["LETTER_RENDER_TIMEOUT"] = 20
        row = db.session.scalar(db.select(Delivery).where(LETTERS))
        assert row.failed_at is not None and "LETTER_RENDER_TIMEOUT" in row.last_error
        assert db.session.scalar(db.select(Letter)) is None
        page = client.get(f"/my-application/{application_id}").get_data(as_text=True)
        assert "This letter could not be made" in page
        listed = app.test_cli_runner().invoke(args=["deliveries", "sweep", "--all"])
        assert f"given up letter {row.reference}" in listed.output  # listed, not tried again

        login_as("recruiter", language="en")
        staff = client.get(f"/review/applications/{application_id}").get_data(as_text=True)
        assert f"Not made: {row.last_error}" in staff


def test_a_decision_letter_announces_the_decision_when_the_candidate_moved_on(app):
    with _job_queue(app):
        intake = factories.intake(offer_days=10)
        app_ = h.application(intake, status=Status.WAITLISTED, language="nl")
        db.session.commit()
        transition(app_, "select", SYSTEM)
        db.session.commit()
        # The candidate accepts the offer before the worker made the letter.
        transition(app_, "accept_offer", db.session.get(User, app_.user_id))
        db.session.commit()
        _work(app)
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "decision"))
    assert "Je bent geselecteerd voor het Militair Dienstjaar" in " ".join(
        pdf_text(letter.pdf).split())


@pytest.mark.parametrize("first_name", ["Aurelianus" * 10])
def test_a_name_too_long_for_its_line_refuses_the_submit_at_once(app, client, login_as,
                                                               first_name):
    """Checked before the letter is handed to the queue: the candidate reads why at the
    submit, as when the letter was made in the request."""
    with _job_queue(app) as queue:
        user, intake = ready_to_apply(login_as)
        user.first_name = first_name
        db.session.commit()
        application_id = start(client, intake)
        steps = step_data(intake)
        steps["personal"]["first_name"] = first_name
        fill(client, application_id, steps)
        check = f"/my-application/{application_id}/check"
        response = post(client, f"/my-application/{application_id}/submit",
                        {"version": version_on(client, check)}, page=check,
                        follow_redirects=True)
        assert "cannot be printed whole" in response.get_data(as_text=True)
        assert db.session.get(Application, application_id).status == Status.DRAFT
        assert db.session.scalar(db.select(Delivery).where(LETTERS)) is None and queue.count == 0


@pytest.mark.parametrize("kind,status", [("acknowledgement", Status.SUBMITTED),
                                         ("convocation", Status.TESTS_SCHEDULED),
                                         ("decision", Status.REJECTED)])
def test_the_frame_s_slot_boxes_are_those_of_every_application_letter(app, kind, status):
    """A name is checked against the boxes of the frame all kinds extend: they must be the
    boxes each kind really prints (a kind moving its salutation would break the check)."""
    from portal.applications import correspondence
    from portal.letters import render, services
    from portal.letters.pdf import vdp

    app_ = h.application(factories.intake(), status=status, language="de", postcode="4700")
    if kind == "convocation":
        h.convoke(app_, h.selection_day(app_.intake))
    letter = correspondence._letter(kind, app_, None)
    languages = tuple(letter["languages"])
    html = render.document_html(kind, languages, {**letter["context"], "vdp_layout": True},
                                lambda _lang: services.Placeholders())

    def boxes(slots):
        return {(s.name, s.lang, round(s.width, 1), s.style, s.size) for s in slots
                if s.block and (s.name.startswith("address-") or s.name == "salutation")}

    frame = boxes(services.slot_boxes(languages))
    assert {name for name, *_rest in frame} >= {"address-0", "address-5", "salutation"}
    assert boxes(vdp.find_slots(render.layout(html))) == frame


def test_a_letter_being_prepared_is_in_the_export_and_goes_with_the_erasure(
        app, client, login_as):
    import json

    from portal.privacy import services as privacy

    with _job_queue(app):
        _submit(client, login_as)
        row = db.session.scalar(db.select(Delivery).where(LETTERS))
        exported = json.loads(download_my_data(client, "json").data)["data"]["letters"]
        assert {"kind": "acknowledgement", "reference": row.reference,
                "state": "Being prepared"}.items() <= exported[-1].items()
        user = db.session.get(User, row.user_id)
        privacy.erase(user, user)
        db.session.commit()
        assert db.session.scalar(db.select(Delivery).where(LETTERS)) is None


def test_with_the_queue_down_the_letter_is_made_right_after_the_commit(app, client, login_as):
    saved = {k: app.config[k] for k in ("REDIS_URL", "JOBS_INLINE")}
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", JOBS_INLINE=False)  # nobody there
    try:
        application_id = _submit(client, login_as)
    finally:
        app.config.update(saved)
    db.session.expire_all()
    letter = db.session.scalar(db.select(Letter))
    assert letter.kind == "acknowledgement" and letter.subject_id == str(application_id)
    assert db.session.scalar(db.select(Delivery).where(LETTERS)) is None


def test_a_read_only_instance_folder_does_not_stop_the_check(app, monkeypatch, tmp_path):
    """The slot boxes are kept on disk when they can be; a folder that cannot be written
    (a read-only container) only costs a layout per process."""
    from portal.letters import services

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(services, "_SLOT_BOXES", {})
    monkeypatch.setattr(app, "instance_path", str(blocker / "instance"))
    boxes = services.slot_boxes(("nl", "fr"))
    assert {box.name for box in boxes} >= {"address-0", "salutation"}
    recipient = services.Recipient.structured(
        first_names="Aurelianus" * 10, last_name="Peeters", street="Kerkstraat",
        house_number="1", box=None, postcode="2000", municipality="Antwerpen")
    with pytest.raises(services.NotPrintable):
        services.check_printable(recipient=recipient, languages=("nl", "fr"),
                                 reference="ACK-2611-ABCDEFGH")
