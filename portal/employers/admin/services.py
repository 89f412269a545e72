"""Sector agreements: default terms per sector, kept by administrators. A change raises the
version and re-proposes unsigned agreements; signed agreements keep the terms they signed."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from portal import audit
from portal.employers import enterprise
from portal.employers.models import Agreement, AgreementStatus, Employer, SectorAgreement
from portal.employers.services import refresh_proposed_terms
from portal.extensions import db
from portal.refusals import Refusal

FIELDS = ("sector_name", "committees", "days_per_year", "notice_days", "compensation",
          "valid_from", "valid_to")


def _checked(values: dict) -> dict:
    name = (values.get("sector_name") or "").strip()
    if not name:
        raise Refusal(_("Give the sector's name."), "sector_name")
    committees = enterprise.committees(values.get("committees") or "")
    days, notice = values.get("days_per_year"), values.get("notice_days")
    if days is None or not 1 <= days <= 60:
        raise Refusal(_("Days per year: between 1 and 60."), "days_per_year")
    if notice is None or not 0 <= notice <= 365:
        raise Refusal(_("Notice: between 0 and 365 days."), "notice_days")
    try:
        amount = Decimal(str(values.get("compensation"))).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise Refusal(_("Give the compensation per day in euros, e.g. 120.50."),
                      "compensation") from exc
    if not Decimal(0) <= amount <= Decimal(10000):
        raise Refusal(_("Give the compensation per day in euros, e.g. 120.50."), "compensation")
    valid_from, valid_to = values.get("valid_from"), values.get("valid_to")
    if not isinstance(valid_from, date):
        raise Refusal(_("Give the first day the agreement applies."), "valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise Refusal(_("The end date comes before the start date."), "valid_to")
    return {"sector_name": name[:200], "committees": ",".join(committees),
            "days_per_year": days, "notice_days": notice,
            "compensation_cents": int(amount * 100), "valid_from": valid_from,
            "valid_to": valid_to}


def create(actor, values: dict) -> SectorAgreement:
    sector = SectorAgreement(**_checked(values))
    db.session.add(sector)
    db.session.flush()
    audit.record(actor, "sector_agreement.created", sector, name=sector.sector_name,
                 committees=sector.committees)
    _repropose(sector.committee_list)
    return sector


def update(actor, sector: SectorAgreement, values: dict) -> SectorAgreement:
    checked = _checked(values)
    before = sector.committee_list
    changed = {k: v for k, v in checked.items() if getattr(sector, k) != v}
    if not changed:
        return sector
    for key, value in changed.items():
        setattr(sector, key, value)
    sector.version += 1
    db.session.flush()
    audit.record(actor, "sector_agreement.changed", sector, version=sector.version,
                 fields=sorted(changed))
    _repropose(sorted(set(before) | set(sector.committee_list)))
    return sector


def _repropose(committees: list[str]) -> None:
    """Agreements not yet signed by employers of these committees follow the new terms."""
    employer_ids = db.session.scalars(db.select(Agreement.employer_id).where(
        Agreement.status == AgreementStatus.PROPOSED).distinct()).all()
    for employer in db.session.scalars(db.select(Employer).where(Employer.id.in_(employer_ids))):
        if enterprise.covers(committees, employer.joint_committee):
            refresh_proposed_terms(employer)
