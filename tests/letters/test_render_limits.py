"""A letter whose rendering runs too long or needs too much memory is stopped and fails
alone, with its reason; the letters around it are made as usual. The inputs are real
pathological letters (millions of characters to escape and lay out), the limits the
portal's own (LETTER_RENDER_TIMEOUT, LETTER_RENDER_MAX_MEMORY), set low for the test."""
from __future__ import annotations

import time

import pytest

from portal import domains
from portal.domains import Domain
from portal.extensions import db
from portal.invitations.letters import InvitationRun
from portal.jobs import Job
from portal.letters import limits, runner, runs, services
from portal.letters.models import Letter
from tests.support import factories
from tests.support.client import download_my_data
from tests.support.letters import pdf_text

CONTEXT = {"expires_on": None, "age_youngest": 18, "age_oldest": 18,
           "signup_address": "x.test/start", "parents_address": "x.test/parents"}
RECIPIENT = services.Recipient(name="Lotte Peeters", address_lines=("Veldstraat 1",
                               "9000 Gent"), postcode="9000", first_name="Lotte")


@pytest.fixture
def limited(app):
    def set_limits(seconds: float, megabytes: int):
        app.config.update(LETTER_RENDER_TIMEOUT=seconds, LETTER_RENDER_MAX_MEMORY=megabytes)

    saved = {k: app.config[k] for k in ("LETTER_RENDER_TIMEOUT", "LETTER_RENDER_MAX_MEMORY")}
    yield set_limits
    app.config.update(saved)


def render(code: str):
    return services.render_letter("invitation", recipient=RECIPIENT, context=CONTEXT,
                                  languages=("nl", "fr"), reference="INV-2611-TEST",
                                  slots={"code": code})


def test_a_letter_too_long_to_lay_out_is_stopped_at_the_time_limit(app, limited):
    limited(5, 1024)
    started = time.monotonic()
    with pytest.raises(limits.RenderLimitExceeded) as stopped:
        render("X" * 3_000_000)  # a word of 3 million characters: ~18 s here, unlimited
    assert stopped.value.limit == "time"
    assert time.monotonic() - started < 15
    pdf, pages = render("K7P2")  # the next letter is made as usual
    assert pages >= 2 and "K7P2" in pdf_text(pdf)


def test_a_letter_too_big_for_memory_is_stopped_at_the_memory_limit(app, limited):
    limited(120, 100)
    with pytest.raises(limits.RenderLimitExceeded) as stopped:
        render("<" * 5_000_000)  # 20 MB of escaped markup to parse and lay out
    assert stopped.value.limit == "memory"
    assert "100 MB" in str(stopped.value)
    pdf, _pages = render("K7P2")
    assert "K7P2" in pdf_text(pdf)


def test_a_letter_rendered_on_request_that_is_stopped_shows_a_translated_error(
        app, client, login_as, limited):
    """The privacy export renders the person's data as a letter on request."""
    limited(0.001, 1024)  # no letter renders this fast: every render is stopped
    login_as("citizen", language="fr")
    response = download_my_data(client, "pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Cette lettre n’a pas pu être établie : sa mise en page a été arrêtée" in page


class PathologicalRun(InvitationRun):
    """The cohort's invitations, one of which prints a field of ten million characters."""

    name = "pathological-invitation"

    def letter(self, item, scope):
        letter = super().letter(item, scope)
        if item.postcode == "5000":
            letter.fields["code"] = "W" * 10_000_000
        return letter


@pytest.mark.parametrize("where", ["main thread", "thread of a web process"])
def test_a_run_letter_past_the_time_limit_fails_alone_with_its_reason(app, limited, tmp_path,
                                                                         where):
    limited(1, 1024)
    cohort = factories.cohort()
    for postcode in ("9000", "5000", "4700"):
        factories.person(cohort, postcode=postcode)
    db.session.commit()
    # A domain of the test's own, whose run source makes one pathological letter.
    domains.register(app, Domain("pathological", run_sources=(PathologicalRun(),)))
    try:
        job = runs.start("pathological-invitation", cohort.id, tmp_path, actor=None)
        db.session.commit()
        if where == "main thread":  # as a letter worker or `flask letters run`: a signal
            runner.execute(job.id)
        else:  # started from the admin page: a watchdog interrupts the run's thread
            assert runner.launch(job.id) == "here"
            runner.wait_here(job.id, timeout=120)
        db.session.expire_all()
        job = db.session.get(Job, job.id)
        assert (job.state, job.done, job.failed) == ("failed", 2, 1), runs.failures(job)
        [(position, _who, reason)] = runs.failures(job)
        assert "rendering stopped after 1 s" in reason
        assert db.session.scalar(db.select(db.func.count(Letter.id))) == 2
    finally:
        app.extensions[domains.EXTENSION].pop("pathological")


def test_the_letter_timer_keeps_the_job_timeout_of_an_rq_worker(app, limited):
    """RQ times a job with the same process timer: a letter's limit must not cancel it."""
    import signal

    limited(5, 0)
    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    signal.setitimer(signal.ITIMER_REAL, 300)
    try:
        with limits.guarded():
            pass
        remaining, _interval = signal.getitimer(signal.ITIMER_REAL)
        assert 290 < remaining <= 300
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _read_in_child(user_id: int) -> int:
    from portal.accounts.models import User

    count = 0
    for _ in range(6):  # enough for a driver to prepare the statement server-side
        count += len(db.session.execute(db.select(User.id).where(User.id == user_id)).all())
    with db.engine.connect() as own:  # a connection of the child's own, never a parent's
        count += len(own.execute(db.select(User.id).where(User.id == user_id)).all())
    return count


def test_a_render_child_reading_the_database_leaves_the_parents_connections_sound(
        app, limited):
    """A letter's template may read the database in its render child, through the request's
    own connection (the parent waits) or a new one: the parent goes on using its
    connection and its pool afterwards, statement after statement."""
    from portal.accounts.models import User

    limited(20, 512)
    user = factories.user("citizen")
    db.session.commit()
    statement = db.select(User.id).where(User.id == user.id)
    for _ in range(4):
        db.session.execute(statement).all()
    assert limits.isolated(_read_in_child, user.id) == 7
    for _ in range(12):
        assert db.session.execute(statement).all() == [(user.id,)]
        assert db.session.execute(db.select(User.email).where(User.id == user.id)).all()
    db.session.commit()
    with db.engine.connect() as again:
        assert again.execute(statement).all() == [(user.id,)]
