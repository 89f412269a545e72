"""Public employers: authorities and public bodies whose staff get leave for the Reserve by
law. Defence keeps the list; a reservist who names one of them gets no agreement to sign:
the enterprise is notified (workflow "notify") and the agreement holds at once."""
from __future__ import annotations

from flask_babel import gettext as _

from portal import audit
from portal.employers import enterprise, services
from portal.employers.models import Employer
from portal.extensions import db
from portal.refusals import Refusal


def listed() -> list[Employer]:
    return list(db.session.scalars(
        db.select(Employer).where(Employer.is_public.is_(True)).order_by(Employer.name)))


def mark(actor, number: str, name: str, language: str | None = None) -> Employer:
    """Put an enterprise (created when unknown) on the list. Flushes."""
    employer = services.employer_for(enterprise.enterprise_number(number), name,
                                     language=language)
    if employer.is_public:
        raise Refusal(_("This enterprise is already on the list of public employers."),
                      "enterprise_number")
    employer.is_public = True
    db.session.flush()
    audit.record(actor, "employer.public_marked", employer)
    return employer


def unmark(actor, employer_id: int) -> Employer:
    """Take an enterprise off the list: reservists who name it from now on get an agreement
    to sign; notifications already made stay. Flushes."""
    employer = db.session.get(Employer, employer_id)
    if employer is None or not employer.is_public:
        raise Refusal(_("This enterprise is not on the list of public employers."))
    employer.is_public = False
    db.session.flush()
    audit.record(actor, "employer.public_unmarked", employer)
    return employer
