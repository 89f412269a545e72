"""A citizen with everything the portal can hold on them, for the privacy tests."""
from __future__ import annotations

from datetime import timedelta

from portal.applications import answers as stored_answers
from portal.applications.models import ApplicationEvent, Status
from portal.extensions import db
from portal.letters.models import Letter
from portal.models import utcnow
from tests.support import factories
from tests.support import review as rh


def letter(kind="acknowledgement", user=None, person=None, subject=None, age_days=0):
    n = db.session.query(Letter).count() + 1
    row = Letter(kind=kind, reference=f"TST-{n:06d}-{kind[:3]}", languages="nl",
                 template_version="t", sha256="0" * 64, size=4, page_count=1, pdf=b"%PDF",
                 user_id=getattr(user, "id", None), person_id=getattr(person, "id", None),
                 subject_type="Application" if subject else None,
                 subject_id=str(subject.id) if subject else None,
                 created_at=utcnow() - timedelta(days=age_days))
    db.session.add(row)
    db.session.flush()
    return row


def citizen_with_everything(status=Status.SUBMITTED, decided_days_ago=None):
    """A signed-up person of a cohort, with an application (health answers included),
    a booking, its history and letters."""
    cohort = factories.cohort()
    person = factories.person(cohort=cohort)
    user = factories.user("citizen", person=person)
    intake = factories.intake()
    session = factories.info_session(intake)
    factories.booking(session, user)
    answers = {"personal": {"first_name": user.first_name},
               "health": {"chronic_condition": "no", "medication": "yes"}}
    app_ = rh.application(intake, status=status, user=user)
    stored_answers.store(app_, answers)  # the health step encrypted, as the portal keeps it
    if decided_days_ago is not None:
        app_.decided_at = app_.status_changed_at = utcnow() - timedelta(days=decided_days_ago)
    db.session.add(ApplicationEvent(application_id=app_.id, action="submit",
                                    from_status="draft", to_status="submitted"))
    letter("invitation", person=person)
    letter("acknowledgement", user=user, subject=app_)
    if decided_days_ago is not None:
        letter("decision", user=user, subject=app_)
    db.session.commit()
    return user, person, app_
