"""Citizens download what the portal holds on them and have it erased; staff see requests."""
from __future__ import annotations

import json
import re

from pypdf import PdfReader

from portal.accounts.models import User
from portal.applications.models import Application, Status
from portal.audit import AuditEvent
from portal.extensions import db
from portal.invitations.models import Invitation, Person
from portal.letters.models import Letter
from portal.privacy.models import ErasureRequest
from tests.privacy.scene import citizen_with_everything, letter
from tests.support import factories
from tests.support import review as rh
from tests.support.client import download_my_data, post_form
from tests.support.client import login as _login


def test_the_json_export_holds_every_domains_data_and_no_register_number(client):
    user, person, app_ = citizen_with_everything()
    _login(client, user)
    response = download_my_data(client, "json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.data)
    data = document["data"]
    assert data["accounts"]["email"] == user.email
    assert data["invitations"]["last_name"] == person.last_name
    assert data["invitations"]["national_number_held"] is True
    assert person.national_number not in response.get_data(as_text=True)
    assert data["applications"]["applications"][0]["reference"] == app_.reference
    assert data["applications"]["applications"][0]["answers"]["health"]["medication"] == "yes"
    assert data["applications"]["bookings"]
    assert {letter["kind"] for letter in data["letters"]} == {"invitation", "acknowledgement"}
    assert document["retention"]
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "privacy.exported")) is not None


def test_the_pdf_export_is_a_readable_letter_in_the_citizens_language(client):
    user, person, app_ = citizen_with_everything()
    user.language = "fr"
    db.session.commit()
    _login(client, user)
    response = download_my_data(client, "pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    from io import BytesIO

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert app_.reference in text
    assert person.last_name in text
    assert "Vos candidatures" in text or "candidature" in text.lower()
    assert person.national_number not in text


def test_the_account_page_says_when_the_data_will_be_deleted(client):
    user, _person, app_ = citizen_with_everything(status=Status.REJECTED, decided_days_ago=10)
    _login(client, user)
    html = client.get("/account").get_data(as_text=True)
    assert "/account/my-data\"" in html
    assert app_.reference in html
    # applications_closed: 365 days after the last status change (10 days ago).
    from datetime import timedelta

    from babel.dates import format_date

    expected = (app_.status_changed_at + timedelta(days=365)).date()
    assert format_date(expected, "long", locale="nl") in html


def test_erasure_deletes_at_once_what_is_not_kept(client):
    user, person, app_ = citizen_with_everything(status=Status.SUBMITTED)
    user_id, person_id, app_id = user.id, person.id, app_.id
    _login(client, user)
    bad = post_form(client, "/account/erase", {"current_password": "wrong", "confirm": "y"})
    assert bad.status_code == 400
    assert db.session.get(User, user_id).active
    response = post_form(client, "/account/erase",
                         {"current_password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ERA-" in page
    db.session.expire_all()
    erased = db.session.get(User, user_id)
    assert not erased.active and erased.email.endswith("@erased.invalid")
    assert erased.first_name == "" and erased.password_hash is None
    assert db.session.get(Application, app_id) is None
    assert db.session.scalars(db.select(Letter)).all() == []
    assert db.session.scalars(db.select(Invitation)).all() == []
    kept_person = db.session.get(Person, person_id)
    assert kept_person.national_number is None and kept_person.last_name == ""
    # The audit log stays, and the session is gone.
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "privacy.erased"))
    assert client.get("/account").status_code == 302


def test_erasure_keeps_a_decision_under_appeal_minimised_and_says_so(client, login_as):
    user, _person, app_ = citizen_with_everything(status=Status.REJECTED, decided_days_ago=5)
    app_id = app_.id
    _login(client, user)
    response = post_form(client, "/account/erase",
                         {"current_password": factories.PASSWORD, "confirm": "y"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "beroep" in page  # "You may still appeal the decision" in Dutch
    db.session.expire_all()
    kept = db.session.get(Application, app_id)
    assert kept is not None and kept.answers == "{}" and kept.postcode == ""
    assert kept.health_answers is None
    # The letters of the kept file stay with it; the invitation letter went.
    assert sorted(x.kind for x in db.session.scalars(db.select(Letter))) == [
        "acknowledgement", "decision"]
    request = db.session.scalar(db.select(ErasureRequest))
    assert request.status == "keeping" and request.kept_until is not None

    # The administrator sees the request and cannot finish it before the date.
    admin = login_as("admin")
    assert request.reference in client.get("/admin/privacy/requests").get_data(as_text=True)
    url = f"/admin/privacy/requests/{request.id}"
    refused = post_form(client, url, {"note": "done"})
    assert refused.status_code == 400
    assert db.session.get(Application, app_id) is not None
    # After the appeal period it goes.
    request.kept_until = request.kept_until.replace(year=request.kept_until.year - 1)
    kept.decided_at = kept.decided_at.replace(year=kept.decided_at.year - 1)
    db.session.commit()
    assert post_form(client, url, {"note": "appeal period over"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, app_id) is None
    assert db.session.scalars(db.select(Letter)).all() == []
    assert db.session.get(ErasureRequest, request.id).handled_by_id == admin.id


def test_closing_a_request_keeps_the_letters_of_a_service_record_the_law_keeps(
        client, login_as):
    """A request kept open by an appeal period is closed once it ends: the decision and its
    letters go then, while the record of a service year (kept by law, without end) keeps
    its letters, as at the erasure itself."""
    user, _person, rejected = citizen_with_everything(status=Status.REJECTED,
                                                      decided_days_ago=5)
    served = rh.application(factories.intake(), status=Status.COMPLETED, user=user)
    letter("offer", user=user, subject=served)
    db.session.commit()
    served_id, rejected_id = served.id, rejected.id
    _login(client, user)
    post_form(client, "/account/erase", {"current_password": factories.PASSWORD, "confirm": "y"})
    db.session.expire_all()
    assert sorted(x.kind for x in db.session.scalars(db.select(Letter))) == [
        "acknowledgement", "decision", "offer"]
    request = db.session.scalar(db.select(ErasureRequest))
    request.kept_until = request.kept_until.replace(year=request.kept_until.year - 1)
    decided = db.session.get(Application, rejected_id)
    decided.decided_at = decided.decided_at.replace(year=decided.decided_at.year - 1)
    db.session.commit()
    login_as("admin")
    assert post_form(client, f"/admin/privacy/requests/{request.id}",
                     {"note": "appeal period over"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, rejected_id) is None
    assert db.session.get(Application, served_id) is not None
    assert [(x.kind, x.subject_id) for x in db.session.scalars(db.select(Letter))] == [
        ("offer", str(served_id))]


def test_the_record_of_processing_is_generated_from_the_schedule(client, login_as, app):
    login_as("admin")
    html = client.get("/admin/privacy/record").get_data(as_text=True)
    for kind in ("applications_closed", "health_answers", "letters", "audit_log",
                 "invitations_unused", "persons_never_signed_up", "accounts_inactive"):
        assert kind in html
    assert f"{app.config['RETENTION_DAYS']['letters']} dagen" in html


def test_citizens_cannot_open_the_staff_pages(client, login_as):
    login_as("citizen")
    assert client.get("/admin/privacy/requests").status_code == 403
    assert client.get("/admin/privacy/record").status_code == 403


def test_downloading_everything_needs_the_account_holder_to_confirm_first(client):
    """A copied session cookie alone takes no data: the download asks for the password (a
    mailed code for an account without one), and the confirmation lasts minutes."""
    user, _person, _app = citizen_with_everything(status=Status.REJECTED, decided_days_ago=10)
    _login(client, user)
    for kind in ("json", "pdf"):
        response = client.get(f"/account/my-data.{kind}")
        assert response.status_code == 302 and response.location.endswith("/account/my-data")
    wrong = post_form(client, "/account/my-data", {"current_password": "not it"})
    assert wrong.status_code == 400
    assert client.get("/account/my-data.json").status_code == 302
    assert download_my_data(client, "json").status_code == 200
    page = client.get("/account/my-data").get_data(as_text=True)
    assert "/account/my-data.pdf" in page and "/account/my-data.json" in page
    with client.session_transaction() as session:
        session["privacy.export_until"] = 0  # the confirmation has lapsed
    assert client.get("/account/my-data.pdf").status_code == 302


def test_an_account_without_a_password_confirms_the_download_with_a_mailed_code(client):
    from tests.support.mail import last_mail_to

    user, _person, _app = citizen_with_everything(status=Status.REJECTED, decided_days_ago=10)
    user.password_hash = None
    user.language = "en"
    db.session.commit()
    _login(client, user)
    page = client.get("/account/my-data").get_data(as_text=True)
    assert "we send a code to" in page
    post_form(client, "/account/erase/code", {"for": "export"}, page="/account/my-data")
    mail = last_mail_to(user.email)
    assert "download" in mail["Subject"].lower()
    code = re.search(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", mail.get_body(("plain",)).get_content())
    response = post_form(client, "/account/my-data", {"code": code.group(0)})
    assert response.status_code == 302
    assert client.get("/account/my-data.json").status_code == 200


def test_the_pdf_export_names_the_controller_purposes_rights_and_complaint_in_its_language(
        client):
    user, person, app_ = citizen_with_everything()
    user.language = "fr"
    db.session.commit()
    _login(client, user)
    response = download_my_data(client, "pdf")
    from io import BytesIO

    text = " ".join(" ".join(page.extract_text() for page in
                             PdfReader(BytesIO(response.data)).pages).split())
    assert "Défense, Direction générale Human Resources" in text
    assert "Directorate-General" not in text and "Belgian Defence" not in text
    assert "Pourquoi nous conservons tes données et qui les reçoit" in text
    assert "Base juridique" in text and "Destinataires" in text
    assert "Autorité de protection des données" in text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), "an ISO date in a French letter"


def test_the_footer_gives_the_postal_address_in_the_pages_language(client):
    for language, expected in (("nl", "Eversestraat 1"), ("fr", "Année de Service Militaire"),
                               ("de", "Militärisches Dienstjahr, Rue")):
        page = client.get(f"/?lang={language}").get_data(as_text=True)
        assert expected in page, language
        assert "Defence, Service Year" not in page
