"""Helpers for the employers tests: enterprises, agreements, links, and a period source."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from portal import outbox
from portal.employers import effects, periods, services
from portal.employers.models import Agreement, Nomination
from portal.extensions import db
from portal.letters.pending import LETTERS
from portal.outbox import Delivery
from tests.support import factories
from tests.support import reserve as reserve_support
from tests.support.mail import last_mail_to, links_in, path_of

# Valid enterprise numbers (mod-97 check), not real enterprises.
NUMBERS = ["0400000086", "0400000185", "0400000284", "0400000383", "0400000482"]
# An enterprise's postal address as the HR user gives it when signing.
ADDRESS = {"street": "Brouwerijstraat", "house_number": "12", "box": "3", "postcode": "9000",
           "municipality": "Gent"}


def employer(number: str = NUMBERS[0], name: str = "Bakkerij Janssens BV", **fields):
    e = services.employer_for(number, name, language=fields.pop("language", "nl"))
    for key, value in fields.items():
        setattr(e, key, value)
    db.session.flush()
    return e


def reservist(**fields):
    """A citizen with a Reserve engagement applied for: who may name an employer."""
    fields.setdefault("password", None)
    user = factories.user(role="citizen", **fields)
    reserve_support.engagement(user)
    return user


def reservist_login(login_as, **fields):
    user = reservist(**fields)
    db.session.commit()
    return login_as(user)


def hr_user(employer_, admin: bool = True, **fields):
    fields.setdefault("language", "en")
    user = factories.user(role="employer", password=None, **fields)
    services.add_member(employer_, user, admin=admin, actor=None)
    return user


def proposed_agreement(employer_, reservist=None, hr_email: str = "hr@bakkerij.be") -> Agreement:
    reservist = reservist or factories.user(role="citizen", password=None, language="en")
    nomination = Nomination(reservist_id=reservist.id, employer=employer_, hr_email=hr_email)
    db.session.add(nomination)
    db.session.flush()
    agreement = services.contact(nomination, reservist)
    letters_now()  # a public employer's agreement holds at once, with its letter
    outbox.discard()  # the set-up sends nothing
    return agreement


def signed_agreement(employer_, hr=None, reservist=None) -> Agreement:
    agreement = proposed_agreement(employer_, reservist)
    hr = hr or hr_user(employer_)
    services.sign(hr, agreement, name=hr.full_name, function="HR", terms_id=agreement.terms_id,
                  address=ADDRESS)
    letters_now()
    outbox.discard()  # the set-up sends nothing
    return agreement


def letters_now() -> None:
    """Make the agreement letters the set-up's moves decided, in this transaction, as the
    commit would (the set-up's own commits send nothing)."""
    for row in db.session.scalars(db.select(Delivery).where(LETTERS).where(
            Delivery.kind == "agreement")).all():
        effects.make_letter(row)
        db.session.delete(row)
    db.session.flush()


def link_path(address: str) -> str:
    """The path of the employer link in the last e-mail to this address."""
    links = [link for link in links_in(last_mail_to(address)) if "/employer/link/" in link]
    assert links, "no employer link in the e-mail"
    return path_of(links[0])


class MemoryPeriods:
    """A period source holding planned periods and served days in memory, standing in for
    the reserve's training calendar (which lives in another domain)."""

    def __init__(self):
        self.periods: dict[str, periods.PlannedPeriod] = {}
        self.served: dict[tuple[int, int], int] = {}

    def plan(self, reservist, starts_on: date, days: int = 3, place: str = "Kamp Elsenborn",
             announced_days_ahead: int = 90) -> periods.PlannedPeriod:
        key = f"assignment:{len(self.periods) + 1}"
        announced = datetime.combine(starts_on - timedelta(days=announced_days_ahead),
                                     datetime.min.time(), tzinfo=UTC)
        period = periods.PlannedPeriod(key, reservist.id, starts_on,
                                       starts_on + timedelta(days=days - 1), place, announced,
                                       "r1")
        self.periods[key] = period
        return period

    def move(self, key: str, starts_on: date) -> periods.PlannedPeriod:
        old = self.periods[key]
        moved = replace(old, starts_on=starts_on,
                        ends_on=starts_on + (old.ends_on - old.starts_on),
                        revision=f"r{int(old.revision[1:]) + 1}")
        self.periods[key] = moved
        return moved

    def planned(self, reservist_ids, since):
        return [p for p in self.periods.values()
                if p.reservist_id in reservist_ids and p.ends_on >= since]

    def period(self, key):
        return self.periods.get(key)

    def served_days(self, reservist_ids, year):
        return {rid: days for (rid, y), days in self.served.items()
                if y == year and rid in reservist_ids}


def pdf_text(pdf: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
