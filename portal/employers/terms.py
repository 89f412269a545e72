"""Which terms an agreement proposes: the sector agreement covering the employer's joint
committee, else the portal's defaults; written once as an AgreementTerms version."""
from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

from flask import current_app

from portal import clock
from portal.employers import enterprise
from portal.employers.models import AgreementTerms, Employer, SectorAgreement
from portal.extensions import db

# How training periods are announced to the employer, by code (shown in the agreement).
ANNOUNCEMENTS = ("portal",)

# The full text of the conditions, by version: a template of articles that takes its
# figures from the terms row. A changed text is a new version (a new template); terms
# written before keep the version they were proposed and signed with.
TEXTS = {"2026-1": "employers/hr/_terms_text_2026_1.html"}
TEXT_VERSION = "2026-1"


def text_template(version: str) -> str:
    return TEXTS[version]


def euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def sector_for(employer: Employer, today: date | None = None) -> SectorAgreement | None:
    """The sector agreement valid today that covers the employer's joint committee; the
    most specific one (longest committee number) when several do."""
    today = today or clock.today()
    if not employer.joint_committee:
        return None
    best, best_len = None, -1
    for sector in db.session.scalars(db.select(SectorAgreement).order_by(SectorAgreement.id)):
        if not sector.valid_on(today):
            continue
        matching = [c for c in sector.committee_list
                    if enterprise.covers([c], employer.joint_committee)]
        if matching and max(map(len, matching)) > best_len:
            best, best_len = sector, max(map(len, matching))
    return best


def _values(sector: SectorAgreement | None) -> dict:
    if sector is not None:
        return {"sector_agreement_id": sector.id, "sector_version": sector.version,
                "sector_name": sector.sector_name, "days_per_year": sector.days_per_year,
                "notice_days": sector.notice_days,
                "compensation_cents": sector.compensation_cents, "announcement": "portal",
                "text_version": TEXT_VERSION}
    config = current_app.config
    return {"sector_agreement_id": None, "sector_version": None, "sector_name": None,
            "days_per_year": int(config["EMPLOYER_DAYS_PER_YEAR"]),
            "notice_days": int(config["EMPLOYER_NOTICE_DAYS"]),
            "compensation_cents": int(config["EMPLOYER_COMPENSATION_CENTS"]),
            "announcement": "portal", "text_version": TEXT_VERSION}


def digest(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def current_terms(employer: Employer, today: date | None = None) -> AgreementTerms:
    """The terms that apply to this employer today, as a stored version (reused when the
    same terms were written before; a new row otherwise). Flushes."""
    values = _values(sector_for(employer, today))
    key = digest(values)
    found = db.session.scalar(db.select(AgreementTerms).where(AgreementTerms.digest == key)
                              .order_by(AgreementTerms.id).limit(1))
    if found is not None:
        return found
    terms = AgreementTerms(digest=key, **values)
    db.session.add(terms)
    db.session.flush()
    return terms
