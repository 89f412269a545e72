"""Candidates book, move and cancel a place in an information session; capacity holds."""
from __future__ import annotations

import threading
from datetime import date, timedelta

from flask import Flask

from portal.applications.intakes import booking as sessions
from portal.applications.intakes.models import Booking
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories
from tests.support.client import post_form as post


def _active(user_id):
    return db.session.scalars(
        db.select(Booking).where(Booking.user_id == user_id, Booking.cancelled_at.is_(None))
    ).all()


def test_candidate_books_moves_and_cancels_a_session(client, login_as):
    user = login_as("citizen", language="en")
    intake = factories.intake()
    first, second = factories.info_session(intake, 5), factories.info_session(intake, 9)
    db.session.commit()
    url = f"/apply/{intake.id}/sessions"
    assert post(client, url, {"session_id": first.id}).status_code == 302
    assert [b.session_id for b in _active(user.id)] == [first.id]
    page = client.get(url).get_data(as_text=True)
    assert "Cancel my booking" in page and "Move here" in page

    assert post(client, url, {"session_id": second.id}).status_code == 302
    db.session.expire_all()
    assert [b.session_id for b in _active(user.id)] == [second.id]
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "booking.move"))

    response = post(client, f"{url}/cancel", page=url, follow_redirects=True)
    assert "Your booking is cancelled." in response.get_data(as_text=True)
    db.session.expire_all()
    assert _active(user.id) == []
    assert len(db.session.scalars(db.select(Booking)).all()) == 2  # history is kept


def test_booking_the_same_session_twice_changes_nothing(client, login_as):
    user = login_as("citizen", language="en")
    intake = factories.intake()
    session = factories.info_session(intake)
    db.session.commit()
    url = f"/apply/{intake.id}/sessions"
    post(client, url, {"session_id": session.id})
    post(client, url, {"session_id": session.id})
    assert len(db.session.scalars(db.select(Booking).where(Booking.user_id == user.id)).all()) == 1


def test_a_full_session_refuses_one_more_candidate(client, login_as):
    intake = factories.intake()
    session = factories.info_session(intake, capacity=1)
    factories.booking(session, factories.user())
    db.session.commit()
    user = login_as("citizen", language="en")
    url = f"/apply/{intake.id}/sessions"
    assert "Full" in client.get(url).get_data(as_text=True)
    response = post(client, url, {"session_id": session.id}, follow_redirects=True)
    assert "This information session is full. Choose another one." in response.get_data(
        as_text=True)
    assert _active(user.id) == []


def test_a_session_of_another_intake_or_in_the_past_cannot_be_booked(client, login_as):
    user = login_as("citizen", language="en")
    intake, other = factories.intake(), factories.intake()
    foreign = factories.info_session(other)
    past = factories.info_session(intake, days_ahead=-1)
    db.session.commit()
    url = f"/apply/{intake.id}/sessions"
    assert post(client, url, {"session_id": foreign.id}).status_code == 404
    response = post(client, url, {"session_id": past.id}, follow_redirects=True)
    assert "already taken place" in response.get_data(as_text=True)
    assert _active(user.id) == []


def test_sessions_of_a_closed_intake_cannot_be_booked(client, login_as):
    user = login_as("citizen", language="en")
    intake = factories.intake(applications_open=date.today() - timedelta(days=40),
                              applications_close=date.today() - timedelta(days=1))
    session = factories.info_session(intake)
    db.session.commit()
    response = post(client, f"/apply/{intake.id}/sessions", {"session_id": session.id},
                    follow_redirects=True)
    assert "This intake is closed" in response.get_data(as_text=True)
    assert _active(user.id) == []


def test_candidates_racing_for_the_last_places_never_overfill_a_session(app: Flask):
    """Eight candidates book a 3-place session at once, each in its own transaction."""
    intake = factories.intake()
    session = factories.info_session(intake, capacity=3)
    users = [factories.user() for _ in range(8)]
    db.session.commit()
    session_id, user_ids = session.id, [u.id for u in users]
    barrier = threading.Barrier(len(user_ids))
    outcomes: list[str] = []

    def attempt(user_id):
        with app.app_context():
            from portal.accounts.models import User

            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                sessions.book(user, session_id)
                db.session.commit()
                outcomes.append("booked")
            except sessions.BookingError:
                db.session.rollback()
                outcomes.append("full")
            except Exception:  # SQLite may refuse a concurrent writer outright
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    booked = db.session.scalar(
        db.select(db.func.count(Booking.id)).where(Booking.session_id == session_id,
                                                   Booking.cancelled_at.is_(None)))
    assert booked <= 3
    assert booked == outcomes.count("booked")
    if db.engine.dialect.name == "postgresql":
        assert booked == 3 and outcomes.count("full") == 5
