"""Demo data: a small cohort with persons in the four regions, two of them invited."""
from __future__ import annotations

from datetime import date

from portal import clock, regions
from portal.extensions import db
from portal.invitations import services
from portal.invitations.models import Person
from portal.invitations.sample import national_number

DEMO_COHORT = "Demo cohort"

# first names, last name, (month, day) of birth, serial, postcode, municipality, street,
# register language, invite now?
DEMO_PERSONS = (
    ("Lotte", "Peeters", (3, 14), 102, "9000", "Gent", "Veldstraat", None, True),
    ("Emma", "Janssens", (7, 2), 204, "2000", "Antwerpen", "Meir", None, False),
    ("Lucas", "Dubois", (1, 23), 301, "5000", "Namur", "Rue de Fer", None, False),
    ("Marie", "Lambert", (11, 5), 412, "4000", "Liège", "Rue Léopold", None, False),
    ("Adam", "El Amrani", (4, 30), 515, "1000", "Bruxelles", "Rue Neuve", "fr", False),
    ("Noor", "Claes", (9, 9), 618, "1040", "Etterbeek", "Rue des Champs", "nl", False),
    ("Lena", "Kessler", (6, 21), 720, "4700", "Eupen", "Klötzerbahn", "de", True),
    ("Jonas", "Schmitz", (2, 8), 823, "4780", "Sankt Vith", "Hauptstraße", None, False),
)


def seed_cohort(report) -> None:
    """The demo cohort (people turning the invited age this year) and its persons."""
    year = clock.today().year - 18
    cohort = services.cohort_by_name(DEMO_COHORT)
    if cohort is None:
        cohort = services.create_cohort(DEMO_COHORT, date(year, 1, 1), date(year, 12, 31),
                                        date(clock.today().year + 1, 6, 30), actor=None)
        report.created(f"cohort {DEMO_COHORT!r}")
    else:
        report.existing(f"cohort {DEMO_COHORT!r}")
    for first, last, (month, day), serial, postcode, municipality, street, language, invite \
            in DEMO_PERSONS:
        birth = date(year, month, day)
        number = national_number(birth, serial)
        nn_hash = services.nn_hash(number)
        if db.session.scalar(db.select(Person.id).where(Person.nn_hash == nn_hash)):
            report.existing(f"person {first} {last}")
            continue
        info = regions.lookup(postcode)
        person = Person(
            cohort_id=cohort.id, nn_hash=nn_hash, national_number=number, last_name=last,
            first_names=first, birth_date=birth, sex="M" if serial % 2 else "F",
            street=street, house_number=str(serial % 90 + 1), box="", postcode=postcode,
            municipality=municipality, nis_code=info.nis_code, region=info.region,
            register_language=language,
            language=regions.recipient_language(postcode, language),
        )
        db.session.add(person)
        db.session.flush()
        if invite:
            _invitation, code = services.issue_invitation(person, cohort, actor=None)
            report.created(f"person {first} {last} ({postcode} {municipality}), invitation "
                           f"code {code}, born {birth.isoformat()}: try it at /start")
        else:
            report.created(f"person {first} {last} ({postcode} {municipality})")
