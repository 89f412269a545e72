"""Administrators keep sector agreements: default terms for the joint committees covered."""
import pytest

from portal.audit import AuditEvent
from portal.employers.models import SectorAgreement
from portal.extensions import db
from tests.support.client import post_form

NEW = "/admin/employers/sector-agreements/new"
GOOD = {"sector_name": "Food industry", "committees": "118, 220", "days_per_year": "12",
        "notice_days": "45", "compensation": "99.50", "valid_from": "2026-01-01",
        "valid_to": ""}


def test_an_admin_creates_and_changes_a_sector_agreement(client, login_as):
    login_as("admin", password=None, language="en")
    response = post_form(client, NEW, GOOD)
    assert response.status_code == 302
    sector = db.session.scalar(db.select(SectorAgreement))
    assert (sector.committee_list, sector.compensation_cents, sector.version) == (
        ["118", "220"], 9950, 1)
    listing = client.get("/admin/employers/sector-agreements").get_data(as_text=True)
    assert "Food industry" in listing and "99.50" in listing
    edit = f"/admin/employers/sector-agreements/{sector.id}"
    response = post_form(client, edit, {**GOOD, "days_per_year": "14"})
    assert response.status_code == 302
    db.session.refresh(sector)
    assert (sector.days_per_year, sector.version) == (14, 2)
    assert db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.action == "sector_agreement.changed")) is not None


@pytest.mark.parametrize("field,value,message", [
    ("committees", "118, 2x0", "is not a joint committee number"),
    ("days_per_year", "0", "between 1 and 60"),
    ("notice_days", "400", "between 0 and 365"),
    ("compensation", "-5", "compensation per day in euros"),
    ("valid_to", "2025-01-01", "end date comes before"),
    ("sector_name", "", "sector's name"),
])
def test_bad_input_is_refused_next_to_the_field(client, login_as, field, value, message):
    login_as("admin", password=None, language="en")
    response = post_form(client, NEW, {**GOOD, field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(SectorAgreement)) is None


def test_only_admins_keep_sector_agreements(client, login_as):
    login_as("recruiter", password=None)
    assert client.get(NEW).status_code == 403
    login_as("employer", password=None)
    assert client.get("/admin/employers/sector-agreements").status_code == 403
