"""People from register extracts, the cohorts they belong to, and their invitations."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal import addresses
from portal.accounts.models import User
from portal.extensions import db
from portal.models import TimestampMixin, UTCDateTime, utcnow


class Cohort(TimestampMixin, db.Model):
    """People born in a period, invited together."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    born_from: Mapped[date] = mapped_column(Date)
    born_to: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)

    persons: Mapped[list[Person]] = relationship(back_populates="cohort")
    imports: Mapped[list[CohortImport]] = relationship(
        back_populates="cohort", order_by="CohortImport.id.desc()"
    )

    def covers(self, birth_date: date) -> bool:
        return self.born_from <= birth_date <= self.born_to

    def ages_in(self, year: int) -> tuple[int, int]:
        """The ages the cohort's people reach in `year`: the youngest's and the oldest's
        (the same number when all were born in one calendar year)."""
        return year - self.born_to.year, year - self.born_from.year


class Person(TimestampMixin, db.Model):
    """Someone from a National Register extract.

    The national register number itself is kept only as long as needed
    (`national_number`, cleared once no longer needed); `nn_hash`, a keyed hash,
    keeps a person from being imported or invited twice.
    """

    __tablename__ = "persons"
    __table_args__ = (Index("ix_persons_cohort_postcode", "cohort_id", "postcode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)
    nn_hash: Mapped[str] = mapped_column(String(64), unique=True)
    national_number: Mapped[str | None] = mapped_column(String(11))
    last_name: Mapped[str] = mapped_column(String(100))
    first_names: Mapped[str] = mapped_column(String(150))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))  # "M" or "F", from the register number
    street: Mapped[str] = mapped_column(String(120))
    house_number: Mapped[str] = mapped_column(String(12))
    box: Mapped[str] = mapped_column(String(12), default="")
    postcode: Mapped[str] = mapped_column(String(4))
    municipality: Mapped[str] = mapped_column(String(80))
    nis_code: Mapped[str | None] = mapped_column(String(5))
    region: Mapped[str] = mapped_column(String(12))  # brussels | flanders | wallonia | german
    # Language from the register extract, if it gave one; else None.
    register_language: Mapped[str | None] = mapped_column(String(2))
    # The recipient's language: register language, else the one of the region.
    language: Mapped[str] = mapped_column(String(2))
    # The account of this person, once they signed up with their invitation code.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)

    cohort: Mapped[Cohort | None] = relationship(back_populates="persons")
    invitations: Mapped[list[Invitation]] = relationship(back_populates="person")
    # `user.person` from the other side: the accounts domain does not know persons.
    user: Mapped[User | None] = relationship(backref=backref("person", uselist=False))

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}"

    @property
    def address_lines(self) -> list[str]:
        return [addresses.street_line(self.street, self.house_number, self.box),
                f"{self.postcode} {self.municipality}"]


class Invitation(db.Model):
    """A personal invitation code. Only a keyed hash of the code is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_on: Mapped[date] = mapped_column(Date)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The person's answer without signing up: "not_interested" or "later", and its time.
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship(back_populates="invitations")

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None


class CohortImport(TimestampMixin, db.Model):
    """One import of a register extract into a cohort, with its row-by-row report: the
    first problems as CohortImportError rows, `problems` counting them all."""

    __tablename__ = "cohort_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    rows: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    existing: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    problems: Mapped[int] = mapped_column(default=0)

    cohort: Mapped[Cohort] = relationship(back_populates="imports")


class CohortImportError(db.Model):
    """One problem of an import: row, field and reason code with its parameters (see
    invitations.importer.REASONS); no value from the file is kept."""

    __tablename__ = "cohort_import_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_imports.id", ondelete="CASCADE"), index=True)
    row: Mapped[int]
    field: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(20))
    params: Mapped[str] = mapped_column(Text, default="{}")
