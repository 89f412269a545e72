"""Public employers grant their staff leave for the Reserve by law: Defence keeps their list
(audited); a reservist who names one gets no agreement for the employer to sign: the
employer is notified by e-mail and letter and the agreement holds at once; a private
employer still signs, and nobody can skip a signature by "notifying"."""
from __future__ import annotations

import pytest

from portal.audit import AuditEvent
from portal.employers import services, workflow
from portal.employers.models import AgreementStatus, Employer
from portal.extensions import db
from portal.letters.models import Letter
from portal.refusals import Refusal
from tests.employers import helpers
from tests.employers.helpers import NUMBERS, employer, link_path, proposed_agreement
from tests.support import factories
from tests.support.client import login, post_form
from tests.support.letters import pdf_text
from tests.support.mail import last_mail_to, text_of

LIST = "/admin/employers/public-employers"


@pytest.fixture
def admin(app):
    user = factories.user(role="admin", password=None, language="en")
    db.session.commit()
    return user


def test_defence_keeps_the_list_of_public_employers(client, admin):
    login(client, admin)
    assert LIST in client.get("/staff").get_data(as_text=True)
    response = post_form(client, LIST, {"enterprise_number": "0400.000.185",
                                        "name": "Stad Gent"})
    assert response.status_code == 302
    city = db.session.scalar(db.select(Employer).where(
        Employer.enterprise_number == "0400000185"))
    assert city.is_public and city.name == "Stad Gent"
    page = client.get(LIST).get_data(as_text=True)
    assert "Stad Gent" in page and "0400.000.185" in page
    again = post_form(client, LIST, {"enterprise_number": "0400000185", "name": ""})
    assert again.status_code == 400 and "already on the list" in again.get_data(as_text=True)
    wrong = post_form(client, LIST, {"enterprise_number": "0400000186", "name": "X"})
    assert wrong.status_code == 400 and "does not exist" in wrong.get_data(as_text=True)
    assert post_form(client, f"{LIST}/{city.id}/remove", page=LIST).status_code == 302
    assert not db.session.get(Employer, city.id).is_public
    assert post_form(client, f"{LIST}/{city.id}/remove", page=LIST).status_code == 404
    actions = set(db.session.scalars(db.select(AuditEvent.action).where(
        AuditEvent.action.like("employer.public_%"))))
    assert actions == {"employer.public_marked", "employer.public_unmarked"}


def test_only_administrators_see_the_list(client, app):
    hr = helpers.hr_user(employer(NUMBERS[0]))
    db.session.commit()
    login(client, hr)
    assert client.get(LIST).status_code == 403


def test_a_public_employer_is_notified_and_signs_nothing(app, client):
    city = employer(NUMBERS[1], "Stad Gent", is_public=True)
    reservist = helpers.reservist(language="nl", first_name="An", last_name="Peeters")
    db.session.commit()
    agreement = proposed_agreement(city, reservist, hr_email="hr@gent.be")
    # proposed_agreement discards the set-up's e-mails: name the employer again for real.
    from portal.employers.models import Nomination

    nomination = db.session.scalar(db.select(Nomination))
    services.contact(nomination, reservist)
    db.session.commit()
    assert agreement.status == AgreementStatus.SIGNED and agreement.signed_name is None
    assert agreement.events[-1].action == "notify"
    mail = last_mail_to("hr@gent.be")
    assert "notification" in mail["Subject"].lower() or "kennisgeving" in mail[
        "Subject"].lower()
    assert "nothing to sign" in text_of(mail) or "niets te ondertekenen" in text_of(mail)
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "agreement"))
    text = " ".join(pdf_text(letter.pdf).split())
    assert "Stad Gent" in text and "An Peeters" in text
    # The HR contact opens the link: the notification, no signing form.
    response = client.get(link_path("hr@gent.be"))
    assert response.status_code == 200
    page = client.post(link_path("hr@gent.be"), data={
        "csrf_token": _csrf(response.get_data(as_text=True)), "first_name": "Els",
        "last_name": "Claes", "language": "en"}, follow_redirects=True).get_data(as_text=True)
    assert "Leave granted by law" in page and "Sign the agreement" not in page


def _csrf(page: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_private_employer_still_signs_and_cannot_be_notified(app):
    bakery = employer(NUMBERS[0], "Bakkerij Janssens BV")
    reservist = helpers.reservist(language="en")
    agreement = proposed_agreement(bakery, reservist)
    assert agreement.status == AgreementStatus.PROPOSED
    assert "notify" not in workflow.allowed_actions(agreement, "citizen")
    with pytest.raises(Refusal):
        workflow.transition(agreement, "notify", reservist)
    assert agreement.status == AgreementStatus.PROPOSED
