"""The agreement's life cycle: the table, signing, declining, and what each move leaves."""
import pytest

from portal.audit import AuditEvent
from portal.employers import workflow
from portal.employers.models import AgreementStatus, AgreementTerms
from portal.extensions import db
from portal.letters.models import Letter
from portal.letters.pending import LETTERS
from portal.outbox import Delivery
from portal.refusals import Refusal
from tests.employers.helpers import (
    ADDRESS,
    NUMBERS,
    employer,
    hr_user,
    pdf_text,
    proposed_agreement,
    signed_agreement,
)
from tests.support import factories
from tests.support.client import post_form
from tests.support.mail import outbox, text_of
from tests.support.matrix import matrix

S = AgreementStatus
ROLES = ("employer", "citizen", "recruiter", "admin")


def _agreement_in(status: str):
    bakery = employer()
    hr = hr_user(bakery)
    reservist = factories.user(role="citizen", password=None, language="en")
    agreement = proposed_agreement(bakery, reservist)
    agreement.status = status
    db.session.flush()
    return agreement, {"employer": hr, "citizen": reservist,
                       "recruiter": factories.user(role="recruiter", password=None, language="en"),
                       "admin": factories.user(role="admin", password=None, language="en")}


@pytest.mark.parametrize(("status", "action", "role"), matrix(
    status=S, action=sorted({a for (_s, a) in workflow.TRANSITIONS}), role=ROLES))
def test_every_status_action_and_role(app, status, action, role):
    agreement, actors = _agreement_in(status)
    # Only a public employer is notified instead of signing (test_public_employers.py).
    agreement.employer.is_public = action == "notify"
    allowed = workflow.TRANSITIONS.get((status, action))
    reason = "Busy season"
    if allowed is None or role not in {str(r) for r in allowed[1]}:
        with pytest.raises(Refusal):
            workflow.transition(agreement, action, actors[role], reason)
        assert agreement.status == status
        return
    event = workflow.transition(agreement, action, actors[role], reason)
    assert agreement.status == allowed[0] == event.to_status
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == f"agreement.{action}")) is not None
    # The move decides its letter; the letter is made once the move commits.
    assert db.session.scalar(db.select(Delivery).where(LETTERS).where(Delivery.kind == "agreement"))


def test_an_hr_user_of_another_enterprise_cannot_move_it(app):
    agreement, _actors = _agreement_in(S.PROPOSED)
    stranger = hr_user(employer(NUMBERS[1], "Garage Dubois SRL"))
    with pytest.raises(Refusal):
        workflow.transition(agreement, "decline", stranger, "no")


def test_a_reason_is_needed_to_decline_suspend_or_end(app):
    agreement, actors = _agreement_in(S.PROPOSED)
    with pytest.raises(Refusal) as refused:
        workflow.transition(agreement, "decline", actors["employer"], "  ")
    assert refused.value.field == "reason"


def _sign(client, agreement, **fields):
    page = f"/employer/agreements/{agreement.id}"
    data = {"name": "Karin Maes", "function": "HR manager", "agree": "y",
            "terms_id": agreement.terms_id, "version": agreement.version,
            "contact_name": "Karin Maes", "contact_function": "HR manager", **ADDRESS}
    data.update(fields)
    return post_form(client, f"{page}/sign", data, page=page)


def test_signing_keeps_who_when_and_the_exact_terms_then_letters_and_mails(client, login_as):
    bakery = employer(language="fr")
    hr = hr_user(bakery, email="rh@boulangerie.be", language="fr")
    reservist = factories.user(role="citizen", password=None, email="reservist@example.be",
                               language="nl")
    agreement = proposed_agreement(bakery, reservist)
    db.session.commit()
    login_as(hr)
    page = client.get(f"/employer/agreements/{agreement.id}").get_data(as_text=True)
    assert reservist.full_name in page
    response = _sign(client, agreement)
    assert response.status_code == 302
    db.session.refresh(agreement)
    assert agreement.status == "signed"
    assert (agreement.signed_name, agreement.signed_function) == ("Karin Maes", "HR manager")
    assert agreement.signed_at is not None and agreement.signed_by_id == hr.id
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "agreement"))
    assert letter.languages == "fr,nl"  # the employer's language first
    text = pdf_text(letter.pdf)
    assert text.index("Accord employeur") < text.index("Werkgeversovereenkomst")
    assert "Karin Maes" in text and bakery.name in text
    # Both the reservist and the HR user are told, after the commit.
    to = {m["To"]: m for m in outbox()}
    assert {"reservist@example.be", "rh@boulangerie.be"} <= set(to)
    assert letter.reference in text_of(to["reservist@example.be"])
    # The reservist reads the letter; the HR user too, through the agreement page.
    assert client.get(f"/employer/agreements/{agreement.id}/letters/{letter.public_id}.pdf"
                      ).status_code == 200
    login_as(reservist)
    assert client.get(f"/letters/{letter.public_id}.pdf").status_code == 200


def test_signing_twice_is_refused_with_a_message(client, login_as):
    bakery = employer()
    hr = hr_user(bakery)
    agreement = proposed_agreement(bakery)
    db.session.commit()
    login_as(hr)
    _sign(client, agreement)
    db.session.refresh(agreement)
    response = _sign(client, agreement)
    assert response.status_code == 400
    assert "already signed" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Letter)) == 1


def test_signing_a_superseded_version_is_refused_and_the_new_terms_are_shown(client, login_as):
    from datetime import date

    from portal.employers.admin import services as sectors

    bakery = employer(joint_committee="118.03")
    hr = hr_user(bakery)
    agreement = proposed_agreement(bakery)
    old_terms = agreement.terms_id
    db.session.commit()
    login_as(hr)
    client.get(f"/employer/agreements/{agreement.id}")
    # Meanwhile an administrator creates a sector agreement covering the bakery.
    sectors.create(factories.user(role="admin", password=None, language="en"), {
        "sector_name": "Food industry", "committees": "118", "days_per_year": 12,
        "notice_days": 45, "compensation": "99.50", "valid_from": date(2020, 1, 1),
        "valid_to": None})
    db.session.commit()
    db.session.refresh(agreement)
    assert agreement.terms_id != old_terms
    response = _sign(client, agreement, terms_id=old_terms, version=1)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "terms of this agreement changed" in body
    assert "99,50" in body or "99.50" in body
    db.session.refresh(agreement)
    assert agreement.status == "proposed"


def test_a_sector_change_never_alters_a_signed_agreement(app):
    from datetime import date

    from portal.employers.admin import services as sectors

    admin = factories.user(role="admin", password=None, language="en")
    sector = sectors.create(admin, {
        "sector_name": "Food industry", "committees": "118", "days_per_year": 12,
        "notice_days": 45, "compensation": "99.50", "valid_from": date(2020, 1, 1),
        "valid_to": None})
    bakery = employer(joint_committee="118")
    signed = signed_agreement(bakery)
    proposed = proposed_agreement(bakery, hr_email="hr2@bakkerij.be")
    terms_before = (signed.terms_id, signed.terms.days_per_year, signed.terms.digest)
    sectors.update(admin, sector, {
        "sector_name": "Food industry", "committees": "118", "days_per_year": 20,
        "notice_days": 30, "compensation": "150", "valid_from": date(2020, 1, 1),
        "valid_to": None})
    db.session.refresh(signed)
    db.session.refresh(proposed)
    assert (signed.terms_id, signed.terms.days_per_year, signed.terms.digest) == terms_before
    assert signed.terms.sector_version == 1
    assert (proposed.terms.days_per_year, proposed.terms.sector_version) == (20, 2)
    db.session.commit()
    with pytest.raises(RuntimeError):
        signed.terms.days_per_year = 99
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AgreementTerms, terms_before[0]).days_per_year == 12


def test_declining_needs_a_reason_and_tells_the_reservist(client, login_as):
    bakery = employer()
    hr = hr_user(bakery)
    reservist = factories.user(role="citizen", password=None, language="en",
                               email="reservist@example.be")
    agreement = proposed_agreement(bakery, reservist)
    db.session.commit()
    login_as(hr)
    page = f"/employer/agreements/{agreement.id}"
    response = post_form(client, f"{page}/decline", {"reason": "", "version": 1}, page=page)
    assert response.status_code == 400
    assert "Give a reason" in response.get_data(as_text=True)
    response = post_form(client, f"{page}/decline",
                         {"reason": "We cannot spare anyone this year", "version": 1},
                         page=page)
    assert response.status_code == 302
    db.session.refresh(agreement)
    assert agreement.status == "declined"
    assert agreement.decline_reason == "We cannot spare anyone this year"
    mail = [m for m in outbox() if m["To"] == "reservist@example.be"][-1]
    assert "We cannot spare anyone this year" in text_of(mail)


def test_the_reservist_ends_a_signed_agreement(client, login_as):
    bakery = employer()
    reservist = factories.user(role="citizen", password=None, language="en")
    agreement = signed_agreement(bakery, reservist=reservist)
    db.session.commit()
    login_as(reservist)
    response = post_form(client, f"/reserve/employer/agreements/{agreement.id}/end",
                         {"reason": "New job"}, page="/reserve/employer/")
    assert response.status_code == 302
    db.session.refresh(agreement)
    assert agreement.status == "ended"


def test_a_mail_outage_keeps_the_signature_and_says_so(app, client, login_as):
    bakery = employer()
    hr = hr_user(bakery)
    agreement = proposed_agreement(bakery)
    db.session.commit()
    login_as(hr)
    client.get(f"/employer/agreements/{agreement.id}")
    app.config["MAIL_URL"] = "smtp://127.0.0.1:1"  # nothing listens there
    try:
        response = _sign(client, agreement)
    finally:
        app.config["MAIL_URL"] = None
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "could not send the e-mail" in page
    db.session.refresh(agreement)
    assert agreement.status == "signed"


def test_one_reason_field_serves_every_move_of_a_signed_agreement(client, login_as):
    bakery = employer()
    hr = hr_user(bakery)
    agreement = signed_agreement(bakery, hr=hr)
    db.session.commit()
    login_as(hr)
    page = f"/employer/agreements/{agreement.id}"
    html = client.get(page).get_data(as_text=True)
    # Labels point at the one field (no id twice on the page), each button at its move.
    assert html.count('id="reason"') == 1 and html.count('for="reason"') == 1
    assert html.count('id="csrf_token"') <= 1
    assert f'formaction="{page}/suspend"' in html and f'formaction="{page}/end"' in html
    response = post_form(client, f"{page}/suspend", {"reason": "", "version": 2}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Give a reason" in html
    assert '<details class="card" open>' in html and 'href="#reason"' in html
    response = post_form(client, f"{page}/suspend",
                         {"reason": "Busy season", "version": agreement.version}, page=page)
    assert response.status_code == 302
    db.session.refresh(agreement)
    assert agreement.status == "suspended"


def test_the_letter_is_made_after_the_commit_and_tells_the_reason_of_its_move(app):
    agreement, actors = _agreement_in(S.SIGNED)
    db.session.commit()
    workflow.transition(agreement, "suspend", actors["employer"], "Inventaire annuel")
    assert db.session.scalar(db.select(db.func.count(Letter.id))) == 0
    # Moved on again before the commit: the suspension's letter keeps its own reason.
    workflow.transition(agreement, "resume", actors["employer"], "")
    db.session.commit()
    suspension, resumption = db.session.scalars(
        db.select(Letter).where(Letter.kind == "agreement").order_by(Letter.id)).all()
    assert "Inventaire annuel" in pdf_text(suspension.pdf)
    assert "Inventaire annuel" not in pdf_text(resumption.pdf)
    assert db.session.scalar(db.select(db.func.count(Delivery.id)).where(LETTERS)) == 0
