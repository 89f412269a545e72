"""Two recruiters proposing the same waitlisting at the same moment: one proposal is kept,
the other recruiter reads a translated refusal (the unique index decides), never a 500."""
from __future__ import annotations

from portal.applications.models import Decision
from portal.extensions import db
from tests.support import factories, races
from tests.support import review as rh
from tests.support.client import csrf_token, session_key


def test_two_recruiters_proposing_the_same_waitlisting_at_once_get_a_refusal(app):
    intake = factories.intake()
    application = rh.application(intake, status="tests_passed")
    recruiters = [factories.user("recruiter", language="en") for _ in range(2)]
    db.session.commit()
    url = f"/review/applications/{application.id}/waitlist"
    page = f"/review/applications/{application.id}"
    version = application.version
    keys = [session_key(u) for u in recruiters]
    db.session.remove()

    def one(key):
        def prepare(client):
            with client.session_transaction() as s:
                s["_user_id"] = key
                s["_fresh"] = True
            token = csrf_token(client, page)
            return lambda: client.post(url, data={"csrf_token": token, "version": version},
                                       follow_redirects=True)
        return prepare

    refused = 0
    for _round in range(4):  # a race: several rounds make the collision certain enough
        db.session.execute(db.delete(Decision))
        db.session.commit()
        db.session.remove()
        responses = races.requests_at_once(app, [one(key) for key in keys])
        codes = [response.status_code for response in responses]
        bodies = [response.get_data(as_text=True) for response in responses]
        assert codes == [200, 200], codes
        assert db.session.scalar(db.select(db.func.count()).select_from(Decision)) == 1
        refused += sum("already waiting for confirmation" in b for b in bodies)
    assert refused == 4
