"""A reservist names their employer; the HR contact gets a link, unless asked to wait."""
import pytest

from portal.employers.models import AccessLink, Agreement, Employer, Nomination
from portal.extensions import db
from tests.employers.helpers import reservist_login
from tests.support.client import post_form
from tests.support.mail import last_mail_to, outbox, text_of

PAGE = "/reserve/employer/"


def _name(client, **fields):
    data = {"enterprise_number": "0400.000.086", "name": "Bakkerij Janssens BV",
            "hr_email": "hr@bakkerij.be"}
    data.update(fields)
    return post_form(client, PAGE, data)


def test_naming_an_employer_proposes_an_agreement_and_mails_the_hr_contact(client, login_as):
    reservist = reservist_login(login_as, language="en")
    response = _name(client)
    assert response.status_code == 302
    employer = db.session.scalar(db.select(Employer))
    assert employer.enterprise_number == "0400000086"
    assert employer.formatted_number == "0400.000.086"
    agreement = db.session.scalar(db.select(Agreement))
    assert (agreement.status, agreement.reservist_id) == ("proposed", reservist.id)
    message = last_mail_to("hr@bakkerij.be")
    assert reservist.full_name in text_of(message)
    assert "/employer/link/" in text_of(message)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Bakkerij Janssens BV" in page and "0400.000.086" in page


def test_the_link_secret_is_not_stored(client, login_as):
    reservist_login(login_as, language="en")
    _name(client)
    link = db.session.scalar(db.select(AccessLink))
    secret = text_of(last_mail_to("hr@bakkerij.be")).split("/employer/link/")[1].split()[0]
    assert secret not in link.secret_hash and len(link.secret_hash) == 64


def test_do_not_contact_yet_sends_nothing_and_explains_what_that_means(client, login_as):
    reservist_login(login_as, language="en")
    page = client.get(PAGE).get_data(as_text=True)
    assert "holiday or leave" in page and "notice" in page
    response = _name(client, hold="y")
    assert response.status_code == 302
    assert outbox() == []
    assert db.session.scalar(db.select(Agreement)) is None
    nomination = db.session.scalar(db.select(Nomination))
    assert nomination.hold
    page = client.get(PAGE).get_data(as_text=True)
    assert "not to contact this employer yet" in page
    # Later the reservist asks us to go ahead.
    response = post_form(client, f"/reserve/employer/nominations/{nomination.id}/contact", {},
                         page=PAGE)
    assert response.status_code == 302
    assert db.session.scalar(db.select(Agreement)).status == "proposed"
    assert last_mail_to("hr@bakkerij.be")


@pytest.mark.parametrize("fields,message", [
    ({"enterprise_number": "0400.000.087"}, "does not exist: check its digits"),
    ({"enterprise_number": "12345"}, "10 digits"),
    ({"hr_email": "hr@"}, "valid e-mail address"),
    ({"hr_email": "not an address"}, "valid e-mail address"),
    ({"hr_email": ""}, "HR contact"),
    ({"name": ""}, "name of the company"),
])
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_stored(client, login_as, fields,
                                                                    message):
    reservist_login(login_as, language="en")
    response = _name(client, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Employer)) is None
    assert outbox() == []


def test_the_refusal_is_translated(client, login_as):
    reservist_login(login_as, language="fr")
    response = _name(client, enterprise_number="0400.000.087")
    assert "entreprise" in response.get_data(as_text=True)


def test_only_the_reservist_can_release_their_own_hold(client, login_as):
    from tests.employers.helpers import employer
    from tests.support import factories

    other = factories.user(role="citizen", password=None, language="en")
    nomination = Nomination(reservist_id=other.id, employer=employer(), hr_email="hr@x.be",
                            hold=True)
    db.session.add(nomination)
    db.session.commit()
    reservist_login(login_as, language="en")
    response = post_form(client, f"/reserve/employer/nominations/{nomination.id}/contact", {},
                         page=PAGE)
    assert response.status_code == 404
    assert outbox() == []


def test_the_reservist_sends_the_link_again_while_the_agreement_is_proposed(client, login_as):
    reservist_login(login_as, language="en")
    _name(client)
    first = text_of(last_mail_to("hr@bakkerij.be"))
    nomination = db.session.scalar(db.select(Nomination))
    page = client.get(PAGE).get_data(as_text=True)
    assert "Send the link to hr@bakkerij.be again" in page
    post_form(client, f"/reserve/employer/nominations/{nomination.id}/contact", {}, page=PAGE)
    assert text_of(last_mail_to("hr@bakkerij.be")) != first
    assert db.session.scalar(db.select(db.func.count()).select_from(Agreement)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(AccessLink)) == 2


def test_a_reservist_cannot_flood_hr_contacts_with_e_mails(app, client, login_as):
    reservist_login(login_as, language="en")
    app.config["EMPLOYER_CONTACT_LIMIT"] = "3 per hour"
    try:
        statuses = [_name(client, hr_email=f"hr{i}@bakkerij.be").status_code for i in range(4)]
    finally:
        app.config["EMPLOYER_CONTACT_LIMIT"] = "10 per hour"
    assert statuses == [302, 302, 302, 429]
    assert len(outbox()) == 3
