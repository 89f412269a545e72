"""The employer is written to in its own language: the link e-mail, and the agreement letter
with the employer's language first (German-speaking: German, then French and Dutch)."""
import pytest

from portal.employers import services
from portal.extensions import db
from portal.letters.models import Letter
from tests.employers.helpers import ADDRESS, NUMBERS, employer, pdf_text
from tests.support import factories
from tests.support.mail import last_mail_to, text_of

CASES = [
    ("nl", "Vrijgave van een reservist", "nl,fr", ["Werkgeversovereenkomst", "Accord employeur"]),
    ("fr", "Libération d'un réserviste", "fr,nl", ["Accord employeur", "Werkgeversovereenkomst"]),
    ("de", "Freistellung eines Reservisten", "de,fr,nl",
     ["Arbeitgebervereinbarung", "Accord employeur", "Werkgeversovereenkomst"]),
]


@pytest.mark.parametrize("lang,subject,order,titles", CASES)
def test_link_mail_and_letter_in_the_employers_language(app, lang, subject, order, titles):
    company = employer(NUMBERS[0], "Firma Schmitz", language=lang)
    reservist = factories.user(role="citizen", password=None, language="nl")
    services.nominate(reservist, enterprise_number=company.enterprise_number, name="",
                      hr_email="hr@schmitz.be", hold=False)
    agreement = services.live_agreement(company.id, reservist.id)
    db.session.commit()

    mail = last_mail_to("hr@schmitz.be")
    assert subject in mail["Subject"]
    assert "/employer/link/" in text_of(mail)
    hr = factories.user(role="employer", password=None, language=lang)
    services.add_member(company, hr, admin=True, actor=None)
    services.sign(hr, agreement, name="Sabine Schmitz", function="HR",
                  terms_id=agreement.terms_id, address=ADDRESS)
    db.session.commit()
    letter = db.session.scalar(db.select(Letter).where(Letter.kind == "agreement"))
    assert letter.languages == order
    text = pdf_text(letter.pdf)
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
