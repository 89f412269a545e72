"""Employers of reservists, their HR users, sector agreements and agreements.

An agreement keeps the exact terms it was proposed and signed under (AgreementTerms rows
are never changed once written); a change to a sector agreement writes new terms.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.lifecycle import EventRow
from portal.models import TimestampMixin, UTCDateTime, utcnow


class AgreementStatus(StrEnum):
    PROPOSED = "proposed"
    SIGNED = "signed"
    DECLINED = "declined"
    SUSPENDED = "suspended"
    ENDED = "ended"


# An agreement in one of these holds for its employer and reservist (one at a time).
LIVE = (AgreementStatus.PROPOSED, AgreementStatus.SIGNED, AgreementStatus.SUSPENDED)


def format_enterprise_number(number: str) -> str:
    """0123456789 -> 0123.456.789"""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}" if len(number) == 10 else number


class Employer(TimestampMixin, db.Model):
    """An enterprise (KBO/BCE), known by its enterprise number."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_number: Mapped[str] = mapped_column(String(10), unique=True)  # 10 digits
    name: Mapped[str] = mapped_column(String(200))
    # Paritair comité / commission paritaire, e.g. "200" or "118.03"; given by the employer.
    joint_committee: Mapped[str | None] = mapped_column(String(12))
    # The language the enterprise is written to in first (its letters, its e-mails).
    language: Mapped[str] = mapped_column(String(5), default="nl")
    # The postal address letters to the enterprise go to (the HR user gives it when signing
    # an agreement and corrects it in the employer space); the postcode is in the region table.
    street: Mapped[str | None] = mapped_column(String(120))
    house_number: Mapped[str | None] = mapped_column(String(12))
    box: Mapped[str | None] = mapped_column(String(12))
    postcode: Mapped[str | None] = mapped_column(String(4))
    municipality: Mapped[str | None] = mapped_column(String(80))
    # Whom letters are addressed to and greet, and their function in the enterprise.
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_function: Mapped[str | None] = mapped_column(String(200))
    # The account Defence pays the enterprise's compensation into (an IBAN, stored without
    # spaces); its HR users give it in the employer space.
    iban: Mapped[str | None] = mapped_column(String(34))
    # A public employer (an authority, a public body): its staff get leave for the Reserve by
    # law, so it is notified of each reservist instead of signing an agreement. Set by Defence.
    is_public: Mapped[bool] = mapped_column(default=False, server_default=false())

    members: Mapped[list[EmployerUser]] = relationship(back_populates="employer")

    @property
    def formatted_number(self) -> str:
        return format_enterprise_number(self.enterprise_number)

    @property
    def has_postal_address(self) -> bool:
        return all((self.street, self.house_number, self.postcode, self.municipality))


class EmployerUser(db.Model):
    """An HR user of an enterprise; an admin of the enterprise invites colleagues."""

    __tablename__ = "employer_users"
    __table_args__ = (UniqueConstraint("employer_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employer: Mapped[Employer] = relationship(back_populates="members")
    user = relationship("User")


class SectorAgreement(TimestampMixin, db.Model):
    """Default terms agreed with a sector, for the joint committees it covers."""

    __tablename__ = "sector_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    sector_name: Mapped[str] = mapped_column(String(200))
    # Joint committee numbers covered, comma-separated ("200,218"); "118" covers "118.03".
    committees: Mapped[str] = mapped_column(String(400))
    days_per_year: Mapped[int]
    notice_days: Mapped[int]
    compensation_cents: Mapped[int]  # per day of absence, in euro cents
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    # Raised at every change; the terms an agreement signed keep the version they came from.
    version: Mapped[int] = mapped_column(default=1)

    @property
    def committee_list(self) -> list[str]:
        return [c for c in self.committees.split(",") if c]

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class AgreementTerms(db.Model):
    """One version of terms, exactly as proposed and signed. Never updated or deleted."""

    __tablename__ = "agreement_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    sector_agreement_id: Mapped[int | None] = mapped_column(ForeignKey("sector_agreements.id"))
    sector_version: Mapped[int | None]
    sector_name: Mapped[str | None] = mapped_column(String(200))
    days_per_year: Mapped[int]
    notice_days: Mapped[int]
    compensation_cents: Mapped[int]
    # How training periods are announced (a code: "portal" = in the portal and by e-mail).
    announcement: Mapped[str] = mapped_column(String(20), default="portal")
    # Which version of the conditions' full text (terms.TEXTS) these figures go with.
    text_version: Mapped[str] = mapped_column(String(20), default="2026-1",
                                              server_default="2026-1")
    # SHA-256 of the terms as signed: lets anyone check a signed agreement's terms.
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sector_agreement: Mapped[SectorAgreement | None] = relationship()


@event.listens_for(AgreementTerms, "before_update")
def _terms_never_change(*_args):
    raise RuntimeError("agreement terms are never changed: write new terms")


class Nomination(TimestampMixin, db.Model):
    """A reservist naming their employer, with the HR contact to write to."""

    __tablename__ = "employer_nominations"
    __table_args__ = (UniqueConstraint("reservist_id", "employer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reservist_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    hr_email: Mapped[str] = mapped_column(String(254))
    # The language the reservist says the HR contact reads (nl, fr, de): the first e-mail and
    # the page its link opens use it. None: the enterprise's language.
    language: Mapped[str | None] = mapped_column(String(5))
    # "Do not contact my employer yet": nothing is sent until the reservist says so.
    hold: Mapped[bool] = mapped_column(default=False)
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    employer: Mapped[Employer] = relationship()
    reservist = relationship("User")


class Agreement(TimestampMixin, db.Model):
    """An employer agreement (accord employeur / werkgeversovereenkomst) for one reservist.

    Linked to the reservist's user account; the reserve engagement is linked once it exists.
    """

    __tablename__ = "agreements"
    __table_args__ = (Index("ix_agreements_employer_status", "employer_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    reservist_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=AgreementStatus.PROPOSED)
    # The terms currently proposed, then (once signed) the terms signed: never rewritten.
    terms_id: Mapped[int] = mapped_column(ForeignKey("agreement_terms.id"))
    version: Mapped[int] = mapped_column(default=1)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signed_name: Mapped[str | None] = mapped_column(String(200))
    signed_function: Mapped[str | None] = mapped_column(String(200))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # The reservist's working time at the enterprise, in percent of full time (part-time
    # work: compensation and compensatory leave are counted pro rata). Set by its HR users.
    work_percent: Mapped[int] = mapped_column(default=100, server_default="100")

    employer: Mapped[Employer] = relationship()
    terms: Mapped[AgreementTerms] = relationship()
    reservist = relationship("User", foreign_keys=[reservist_id])
    events: Mapped[list[AgreementEvent]] = relationship(
        back_populates="agreement", order_by="AgreementEvent.id")

    @property
    def is_live(self) -> bool:
        return self.status in LIVE


class AgreementEvent(EventRow, db.Model):
    """One move of an agreement's life cycle."""

    __tablename__ = "agreement_events"
    action_length = 20
    status_length = 12

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    # Nullable in this table only, as it was created; every move sets it.
    from_status: Mapped[str | None] = mapped_column(String(12))
    agreement: Mapped[Agreement] = relationship(back_populates="events")


class AccessLink(db.Model):
    """A single-use, expiring link e-mailed to an HR contact: it opens (or creates) their
    employer account for one enterprise. Only a hash of the link's secret is stored."""

    __tablename__ = "employer_access_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    # Where the link leads after it is opened: an agreement to sign, or just the enterprise.
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))
    # A colleague invited by an enterprise admin may be made an admin too.
    grants_admin: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employer: Mapped[Employer] = relationship()


class PeriodAnswer(db.Model):
    """The employer's answer to one planned training period of a reservist it employs.

    `period_key` and `revision` come from the period source (periods.py): the answer holds
    for the period as it was when answered; a moved period has another revision.
    """

    __tablename__ = "employer_period_answers"
    __table_args__ = (UniqueConstraint("agreement_id", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    period_key: Mapped[str] = mapped_column(String(64))
    revision: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(10))  # confirmed | declined
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    days: Mapped[int]
    late: Mapped[bool] = mapped_column(default=False)  # announced with less than the notice
    reason: Mapped[str] = mapped_column(Text, default="")
    proposed_date: Mapped[date | None] = mapped_column(Date)
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agreement: Mapped[Agreement] = relationship()


class AgreementContact(db.Model):
    """An HR contact who opened the link e-mailed for one agreement: they may read and answer
    that agreement (and its training periods) only. It makes them no member of the
    enterprise: that takes a join request approved by one of its administrators."""

    __tablename__ = "employer_agreement_contacts"
    __table_args__ = (UniqueConstraint("agreement_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("employer_access_links.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agreement: Mapped[Agreement] = relationship()


class JoinStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class JoinRequest(db.Model):
    """Someone asks to become an HR user of an enterprise. One of its administrators decides;
    while it has none, Defence staff decide after checking with the enterprise through its
    registered address or another official channel (recorded in `verified_by`)."""

    __tablename__ = "employer_join_requests"
    __table_args__ = (Index("ix_employer_join_requests_open", "employer_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The agreement whose link brought them, if any (shows who named them).
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))
    function: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default=JoinStatus.PENDING)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Defence staff deciding on a first administrator: how they checked (a code) and a note.
    verified_by: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    employer: Mapped[Employer] = relationship()
    user = relationship("User", foreign_keys=[user_id])
    agreement: Mapped[Agreement | None] = relationship()


class StatementReview(db.Model):
    """A request to review a yearly compensation statement: by an HR user of the enterprise
    (the whole statement, `reservist_id` None) or by a reservist on it (their own line), with
    the reason; answered by a Defence administrator who did not issue the statement."""

    __tablename__ = "employer_statement_reviews"
    __table_args__ = (Index("ix_employer_statement_reviews_statement", "employer_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    year: Mapped[int]
    reservist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(12))  # upheld | corrected
    answer: Mapped[str] = mapped_column(Text, default="")
    # The line contested (a reservist's), None for the whole statement; the amount it showed
    # when contested, and the amount Defence corrected it to (outcome "corrected"), in cents.
    line_reservist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount_cents: Mapped[int | None]
    corrected_cents: Mapped[int | None]

    employer: Mapped[Employer] = relationship()
    asked_by = relationship("User", foreign_keys=[asked_by_id])
    reservist = relationship("User", foreign_keys=[reservist_id])
    line_reservist = relationship("User", foreign_keys=[line_reservist_id])

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class PlanningFeed(db.Model):
    """An enterprise's private address for its reservists' planning (iCalendar and CSV), for
    a calendar app to subscribe to. Only a hash of the token is stored; one live at a time."""

    __tablename__ = "employer_planning_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    employer: Mapped[Employer] = relationship()


class SelfEmployment(db.Model):
    """A reservist without an employer who works for themselves: their own enterprise number
    and the account Defence pays their compensation into. One row a reservist; stopping it
    keeps the row (its years stay on their statements) with the day it stopped."""

    __tablename__ = "employer_self_employment"

    id: Mapped[int] = mapped_column(primary_key=True)
    reservist_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    enterprise_number: Mapped[str] = mapped_column(String(10))
    iban: Mapped[str] = mapped_column(String(34))
    declared_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)

    reservist = relationship("User")

    @property
    def formatted_number(self) -> str:
        return format_enterprise_number(self.enterprise_number)

    def covers(self, year: int) -> bool:
        return self.declared_on.year <= year and (
            self.ended_on is None or year <= self.ended_on.year)
