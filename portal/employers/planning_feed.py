"""An enterprise's private planning address: the iCalendar (and CSV) of its reservists'
training periods for the next months, for a calendar app to subscribe to. The token is
shown once to the HR user who made it (sealed across the redirect) and only its SHA-256 is
stored; any HR user of the enterprise may stop it or make a new one (the old one then
stops). What it serves is planning.rows of that one enterprise, nothing else."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from portal import audit, mail, secret_addresses
from portal.employers.members import is_member
from portal.employers.models import Employer, PlanningFeed
from portal.extensions import db
from portal.models import utcnow
from portal.refusals import Refusal

ADDRESSES = secret_addresses.Kind(PlanningFeed, "portal.employers.planning_feed",
                                  throttle_prefix="employer-")
_hash = secret_addresses.hash_of
find, seal, unseal = ADDRESSES.find, ADDRESSES.seal, ADDRESSES.unseal
mark_read = secret_addresses.mark_read


def current(employer_id: int) -> PlanningFeed | None:
    return db.session.scalar(db.select(PlanningFeed).where(
        PlanningFeed.employer_id == employer_id, PlanningFeed.revoked_at.is_(None)))


def _member_only(actor, employer: Employer) -> None:
    if not is_member(actor, employer.id):
        raise Refusal(_("You are not allowed to take this action."))


def renew(actor, employer: Employer) -> str:
    """Stop the enterprise's current address (if any) and make a new one; returns its token.
    Flushes."""
    _member_only(actor, employer)
    old = current(employer.id)
    if old is not None:
        old.revoked_at = utcnow()
        db.session.flush()
    token = secret_addresses.new_token()
    feed = PlanningFeed(employer_id=employer.id, token_hash=_hash(token),
                        created_by_id=actor.id)
    db.session.add(feed)
    db.session.flush()
    audit.record(actor, "employer.planning_feed_renewed", feed, employer_id=employer.id,
                 replaced=old.id if old is not None else None)
    return token


def revoke(actor, employer: Employer) -> bool:
    _member_only(actor, employer)
    feed = current(employer.id)
    if feed is None:
        return False
    feed.revoked_at = utcnow()
    db.session.flush()
    audit.record(actor, "employer.planning_feed_revoked", feed, employer_id=employer.id)
    return True


@dataclass(frozen=True)
class Address:
    """A fresh address as the HR user subscribes to it: https (Outlook, Google), webcal://
    (opens a calendar app's subscribe dialog) and the same planning as CSV."""

    https: str
    webcal: str
    csv: str

    @classmethod
    def of(cls, token: str) -> Address:
        https = mail.external_url("employers_feed.feed_ics", token=token)
        return cls(https=https, webcal=secret_addresses.webcal(https),
                   csv=mail.external_url("employers_feed.feed_csv", token=token))
