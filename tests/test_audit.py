"""The audit log: append-only, free of secrets, readable by administrators only."""
from __future__ import annotations

from datetime import date

import pytest

from portal import audit
from portal.audit import AuditEvent
from portal.extensions import db
from tests.support import factories


def test_events_cannot_be_changed_or_deleted(app):
    event = audit.record(None, "test.happened", ("Thing", 1), note="first")
    db.session.commit()
    event.action = "test.rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action == "test.happened"


def test_secrets_are_refused_in_details(app):
    with pytest.raises(ValueError, match="national_number"):
        audit.record(None, "person.imported", ("Person", 1), national_number="00010100133")


def test_admin_filters_the_log_and_the_viewing_is_itself_audited(client, login_as):
    recruiter = factories.user(role="recruiter", email="rec@example.be")
    audit.record(recruiter, "application.select", ("Application", 7), reason="good")
    audit.record(None, "letters.run_finished", ("Job", 3))
    db.session.commit()
    admin = login_as("admin", language="en")
    page = client.get("/admin/audit?action=application.").get_data(as_text=True)
    assert "application.select" in page and "rec@example.be" in page
    assert "letters.run_finished" not in page
    viewed = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "audit.viewed")
    ).all()
    assert [e.actor_id for e in viewed] == [admin.id]


def test_bad_filter_values_get_a_message_not_an_error(client, login_as):
    login_as("admin", language="en")
    response = client.get("/admin/audit?since=not-a-date&page=-3")
    assert response.status_code == 200
    assert "Not a valid date value" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["citizen", "recruiter", "employer"])
def test_only_administrators_read_the_log(client, login_as, role):
    login_as(role)
    assert client.get("/admin/audit").status_code == 403


def test_postgresql_itself_refuses_to_rewrite_the_log(app):
    """Production runs on PostgreSQL, where a trigger guards the table against any client."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only; CI runs this on PostgreSQL")
    audit.record(None, "test.happened", ("Thing", 1))
    db.session.commit()
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 1


@pytest.mark.parametrize("query", ["since=0001-01-01", "until=9999-12-31",
                                   "since=0001-01-01&until=0001-01-02"])
def test_dates_at_the_ends_of_the_calendar_get_a_message_not_an_error(client, login_as, query):
    login_as("admin", language="en")
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 200
    # From the oldest event kept to today, in the reader's language.
    today = date.today()
    assert f"to {today:%B} {today.day}, {today.year}." in response.get_data(as_text=True)
    assert "Enter a date from " in response.get_data(as_text=True)
