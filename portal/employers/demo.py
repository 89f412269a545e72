"""Demo data: an enterprise whose HR user is the demo employer account, with a signed
agreement for a demo citizen who serves in the Reserve."""
from __future__ import annotations

from portal import outbox
from portal.accounts.demo import demo_user
from portal.employers import services
from portal.employers.models import Agreement, EmployerUser, Nomination
from portal.extensions import db

ENTERPRISE_NUMBER = "0400000086"  # a valid check number, not a real enterprise
ENTERPRISE_NAME = "Brouwerij De Demo NV"
# The example IBAN of the IBAN registry's documentation (valid check digits, no real account).
ENTERPRISE_IBAN = "BE71096123456769"
ENTERPRISE_ADDRESS = {"street": "Brouwerijplein", "house_number": "1", "box": None,
                      "postcode": "9000", "municipality": "Gent"}


def seed_employer(report) -> None:
    hr = demo_user("employer@example.org")
    reservist = demo_user("an.peeters@example.org")
    if hr is None or reservist is None:
        return
    employer = services.find_employer(ENTERPRISE_NUMBER)
    if employer is not None and db.session.scalar(db.select(Agreement.id).where(
            Agreement.employer_id == employer.id)) is not None:
        report.existing(f"enterprise {employer.formatted_number}")
        return
    employer = services.employer_for(ENTERPRISE_NUMBER, ENTERPRISE_NAME, language="nl")
    employer.joint_committee = "200"
    employer.iban = ENTERPRISE_IBAN
    if db.session.scalar(db.select(EmployerUser.id).where(
            EmployerUser.user_id == hr.id, EmployerUser.employer_id == employer.id)) is None:
        services.add_member(employer, hr, admin=True, actor=None)
    nomination = Nomination(reservist_id=reservist.id, employer=employer, hr_email=hr.email)
    db.session.add(nomination)
    db.session.flush()
    agreement = services.contact(nomination, reservist)
    services.sign(hr, agreement, name=hr.full_name, function="HR manager",
                  terms_id=agreement.terms_id, address=ENTERPRISE_ADDRESS)
    # The demo sends no e-mail: nothing was really asked of anyone.
    outbox.discard()
    report.created(f"enterprise {employer.formatted_number} with a signed agreement")
