"""The life-cycle core as the people who move applications, engagements and agreements see
it: a move their table does not have, or a decision confirmed by the one who proposed it,
is refused in their language and leaves no trace."""
from __future__ import annotations

import pytest
from flask_babel import gettext

from portal import i18n
from portal.applications import workflow as applications
from portal.applications.models import ApplicationEvent, Status
from portal.audit import AuditEvent
from portal.employers import workflow as agreements
from portal.employers.models import AgreementEvent
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import workflow as engagements
from portal.reserve.models import EngagementEvent
from tests.employers.helpers import employer, hr_user, signed_agreement
from tests.support import factories, review
from tests.support import reserve as reserve_support


def _submitted_application():
    return (review.application(factories.intake()), factories.user("recruiter", password=None),
            applications.transition, "select", ApplicationEvent)


def _applied_engagement():
    return (reserve_support.engagement(), factories.user(role="recruiter"),
            engagements.transition, "end", EngagementEvent)


def _signed_agreement():
    company = employer()
    hr = hr_user(company)
    return (signed_agreement(company, hr=hr), hr, agreements.transition, "sign",
            AgreementEvent)


# A move each table lacks, and the language it is refused in.
CASES = {
    "application": (_submitted_application, "fr",
                    "This action is not possible in the application's current state."),
    "engagement": (_applied_engagement, "nl",
                   "This action is not possible in the engagement's current state."),
    "agreement": (_signed_agreement, "de",
                  "This action is not possible in the agreement's current state."),
}


def _trace(record, event_model) -> tuple:
    """What a move would leave: the record's status and version, its events, its audit."""
    events = db.session.scalar(db.select(db.func.count()).select_from(event_model))
    audited = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.object_type == type(record).__name__,
        AuditEvent.object_id == str(record.id)))
    return str(record.status), record.version, events, audited


@pytest.mark.parametrize("life_cycle", sorted(CASES))
def test_a_move_not_in_the_table_is_refused_in_the_users_language_and_changes_nothing(
        app, life_cycle):
    prepare, language, message = CASES[life_cycle]
    record, actor, transition, action, event_model = prepare()
    db.session.flush()
    before = _trace(record, event_model)
    with i18n.locale(language):
        expected = gettext(message)
        with pytest.raises(Refusal) as refused:
            transition(record, action, actor, "a reason")
    assert expected != message  # the catalogue has it
    assert refused.value.message == expected
    assert _trace(record, event_model) == before


def test_a_decision_confirmed_by_the_recruiter_who_proposed_it_is_refused(app):
    application = review.application(factories.intake(), status=Status.TESTS_PASSED)
    recruiter = factories.user("recruiter", password=None)
    own = review.decision(application, "select", recruiter)
    before = _trace(application, ApplicationEvent)
    with i18n.locale("nl"):
        expected = gettext("A second recruiter must confirm this decision: you proposed it.")
        with pytest.raises(Refusal) as refused:
            applications.transition(application, "select", recruiter, decision=own)
    assert refused.value.message == expected
    assert _trace(application, ApplicationEvent) == before
    assert own.is_open  # still waiting for a second recruiter
    # A second recruiter confirms it: the move is made.
    applications.transition(application, "select", factories.user("recruiter", password=None),
                            decision=own)
    assert application.status == Status.SELECTED

