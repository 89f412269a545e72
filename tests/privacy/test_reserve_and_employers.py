"""The Reserve's and the employers' data in the citizen's export, erasure and the purge."""
from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO

from babel.dates import format_date
from pypdf import PdfReader

from portal.employers.models import Agreement, AgreementStatus, Nomination
from portal.extensions import db
from portal.letters.models import Letter
from portal.models import utcnow
from portal.reserve import proofs
from portal.reserve.models import Engagement, EngagementStatus, Proof, UnitPreference
from tests.employers import helpers as eh
from tests.privacy.scene import letter
from tests.support import factories
from tests.support import reserve as rs
from tests.support.client import download_my_data, post_form
from tests.support.client import login as _login


def _reservist():
    """A citizen serving in the Reserve (signed agreement with their employer), who also
    applied a second time and named a second employer that has not signed."""
    user = factories.user("citizen")
    unit = rs.unit()
    serving = rs.engagement(user, status=EngagementStatus.ACTIVE, unit=unit,
                            motivation="Ik wil mijn gemeente helpen", street="Kerkstraat 1",
                            postcode="2000")
    db.session.add(UnitPreference(engagement_id=serving.id, unit_id=unit.id, rank=1))
    pending = rs.engagement(user, status=EngagementStatus.APPLIED, pillar="territorial",
                            motivation="Tweede aanvraag")
    kept_proof = proofs.save(serving, user, "brevet.pdf", rs.PDF)
    pending_proof = proofs.save(pending, user, "diploma.pdf", rs.PDF)
    rs.assignment(rs.period(unit), serving)
    signed = eh.signed_agreement(eh.employer(eh.NUMBERS[0]), reservist=user)
    proposed = eh.proposed_agreement(eh.employer(eh.NUMBERS[1], name="Garage Peeters"),
                                     reservist=user)
    letter("engagement", user=user)
    db.session.commit()
    return dict(user=user, serving=serving, pending=pending, kept_proof=kept_proof,
                pending_proof=pending_proof, signed=signed, proposed=proposed)


def test_the_export_holds_the_reserve_and_the_employers(client):
    s = _reservist()
    _login(client, s["user"])
    data = json.loads(download_my_data(client, "json").data)["data"]
    engagements = {e["reference"]: e for e in data["reserve"]["engagements"]}
    assert engagements[s["serving"].reference]["motivation"] == "Ik wil mijn gemeente helpen"
    assert engagements[s["serving"].reference]["proofs"][0]["filename"] == "brevet.pdf"
    assert engagements[s["pending"].reference]["status"] == "applied"
    assert data["reserve"]["training"][0]["place"] == "Kamp Beverlo"
    employers = {a["employer"]: a["status"] for a in data["employers"]["agreements"]}
    assert employers == {"Bakkerij Janssens BV": "signed", "Garage Peeters": "proposed"}
    assert {n["employer"] for n in data["employers"]["nominations"]} == {
        "Bakkerij Janssens BV", "Garage Peeters"}
    pdf = PdfReader(BytesIO(download_my_data(client, "pdf").data))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert s["serving"].reference in text and "brevet.pdf" in text
    assert "Garage Peeters" in text and "Je werkgever" in text


def test_erasure_keeps_the_service_record_minimised_and_deletes_the_rest(client):
    s = _reservist()
    ids = {k: v.id for k, v in s.items()}
    files = [proofs.path_of(s["kept_proof"]), proofs.path_of(s["pending_proof"])]
    assert all(f.exists() for f in files)
    _login(client, s["user"])
    response = post_form(client, "/account/erase",
                         {"current_password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je dossier in de Reserve" in page  # says what it keeps, and why
    db.session.expire_all()
    serving = db.session.get(Engagement, ids["serving"])
    assert serving is not None and serving.motivation == "" and serving.street == ""
    assert db.session.scalars(db.select(UnitPreference)).all() == []
    assert db.session.get(Engagement, ids["pending"]) is None
    assert db.session.scalars(db.select(Proof)).all() == []
    assert not any(f.exists() for f in files)
    assert db.session.get(Agreement, ids["signed"]) is not None
    assert db.session.get(Agreement, ids["proposed"]) is None
    assert db.session.scalars(db.select(Nomination)).all() == []


def test_the_purge_removes_old_proofs_closed_engagements_and_declined_agreements(app):
    days = app.config["RETENTION_DAYS"]
    now = utcnow()
    user = factories.user("citizen")
    decided = rs.engagement(user, status=EngagementStatus.ACTIVE, unit=rs.unit())
    reviewing = rs.engagement(factories.user("citizen"))
    old_proof = proofs.save(decided, user, "oud.pdf", rs.PDF)
    proofs.save(decided, user, "nieuw.pdf", rs.PDF)
    waiting_proof = proofs.save(reviewing, db.session.get(type(user), reviewing.user_id),
                                "wacht.pdf", rs.PDF)
    for proof in (old_proof, waiting_proof):
        proof.uploaded_at = now - timedelta(days=days["uploaded_proofs"] + 1)
    closed = rs.engagement(status=EngagementStatus.REJECTED,
                           status_changed_at=now - timedelta(days=days["engagements_closed"] + 1))
    recent_closed = rs.engagement(status=EngagementStatus.WITHDRAWN)
    declined = eh.proposed_agreement(eh.employer())
    declined.status = AgreementStatus.DECLINED
    declined.status_changed_at = now - timedelta(days=days["agreements_closed"] + 1)
    live = eh.proposed_agreement(eh.employer(eh.NUMBERS[1]))
    db.session.commit()
    old_file = proofs.path_of(old_proof)
    ids = dict(closed=closed.id, recent_closed=recent_closed.id, declined=declined.id,
               live=live.id, declined_reservist=declined.reservist_id)

    runner = app.test_cli_runner()
    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    counts = {line.split()[0]: int(line.split()[-1]) for line in dry.output.splitlines()
              if line.split() and line.split()[0] != "total"}
    assert (counts["uploaded_proofs"], counts["engagements_closed"],
            counts["agreements_closed"]) == (1, 1, 1)
    assert old_file.exists()

    assert runner.invoke(args=["privacy", "purge"]).exit_code == 0
    db.session.expire_all()
    assert not old_file.exists()
    assert sorted(p.filename for p in db.session.scalars(db.select(Proof))) == [
        "nieuw.pdf", "wacht.pdf"]
    assert db.session.get(Engagement, ids["closed"]) is None
    assert db.session.get(Engagement, ids["recent_closed"]) is not None
    assert db.session.get(Agreement, ids["declined"]) is None
    assert db.session.get(Agreement, ids["live"]) is not None
    assert db.session.scalars(db.select(Nomination).where(
        Nomination.reservist_id == ids["declined_reservist"])).all() == []
    again = runner.invoke(args=["privacy", "purge"])
    assert "uploaded_proofs" in again.output
    assert all(int(line.split()[-1]) == 0 for line in again.output.splitlines()
               if line.split() and line.split()[0] in
               ("uploaded_proofs", "engagements_closed", "agreements_closed"))


def test_the_account_page_gives_the_deletion_date_of_an_uploaded_file(client, app):
    s = _reservist()
    _login(client, s["user"])
    html = client.get("/account").get_data(as_text=True)
    expected = (s["kept_proof"].uploaded_at
                + timedelta(days=app.config["RETENTION_DAYS"]["uploaded_proofs"])).date()
    assert "brevet.pdf" in html
    assert format_date(expected, "long", locale="nl") in html


def test_an_idle_reservist_keeps_their_account(app):
    user = factories.user("citizen", last_login_at=utcnow() - timedelta(days=5000))
    rs.engagement(user, status=EngagementStatus.ACTIVE, unit=rs.unit())
    db.session.commit()
    app.test_cli_runner().invoke(args=["privacy", "purge"])
    db.session.expire_all()
    assert db.session.get(type(user), user.id).active
    assert db.session.scalars(db.select(Letter)).all() == []
