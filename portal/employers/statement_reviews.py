"""Contesting a yearly compensation statement. An HR user of the enterprise (the whole
statement or one reservist's line and its amount) or a reservist on it (their own line)
asks, with a reason, until
EMPLOYER_STATEMENT_REVIEW_DAYS after the end of the year it covers. A Defence administrator
who did not issue the statement answers (four eyes, as for the review of a decision):
upheld, or corrected with the corrected amount (which the statement then shows and Defence
pays), with the reason; the one who asked gets the answer by e-mail in their
language after the commit, and the statement's page shows where the request stands.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import audit, mail, outbox, regions
from portal.accounts.models import User
from portal.employers import effects, statements, terms
from portal.employers.members import is_member
from portal.employers.models import Agreement, Employer, StatementReview
from portal.extensions import db
from portal.letters import pending
from portal.letters import services as letters
from portal.letters.models import Letter
from portal.locking import lock_row
from portal.models import utcnow
from portal.refusals import Refusal
from portal.security import Role

OUTCOMES = {
    "upheld": _l("Upheld: the statement stands"),
    "corrected": _l("Corrected: the days or the compensation are corrected"),
}
REASON_MIN, REASON_MAX = 10, 4000
# No statement comes near it: a typing slip (a missing decimal comma) is refused.
MAX_AMOUNT = Decimal("10000000")
ANSWER_SUBJECT = _l("Compensation statement: the answer to the request for review")


def _year_end(year: int) -> datetime:
    return datetime(year + 1, 1, 1, tzinfo=UTC)


def deadline(year: int) -> date:
    """The last day to contest the statement of `year`."""
    return statements.review_deadline(year)


def is_open(year: int, today: date) -> bool:
    """Whether the statement of `year` may be contested today: once its year is over."""
    return date(year, 12, 31) < today <= deadline(year)


def for_statement(employer_id: int, year: int) -> list[StatementReview]:
    return list(
        db.session.scalars(
            db.select(StatementReview)
            .where(StatementReview.employer_id == employer_id, StatementReview.year == year)
            .order_by(StatementReview.id)
        )
    )


def of_reservist(reservist_id: int) -> list[StatementReview]:
    return list(
        db.session.scalars(
            db.select(StatementReview)
            .where(StatementReview.reservist_id == reservist_id)
            .order_by(StatementReview.id.desc())
        )
    )


def on_statement(reservist_id: int, employer_id: int, year: int) -> bool:
    """Whether the reservist is on the enterprise's statement of `year` (an agreement signed
    by the end of that year)."""
    end = date(year, 12, 31)
    return any(
        a.signed_at.date() <= end
        for a in db.session.scalars(
            db.select(Agreement).where(
                Agreement.employer_id == employer_id,
                Agreement.reservist_id == reservist_id,
                Agreement.signed_at.is_not(None),
            )
        )
    )


def contestable_for_reservist(reservist_id: int, today: date) -> list[tuple[Employer, int]]:
    """The statements (enterprise, year) the reservist is on and may contest today."""
    found: dict[tuple[int, int], tuple[Employer, int]] = {}
    for agreement in db.session.scalars(
        db.select(Agreement)
        .where(Agreement.reservist_id == reservist_id, Agreement.signed_at.is_not(None))
        .order_by(Agreement.id)
    ):
        for year in range(agreement.signed_at.year, today.year):
            if is_open(year, today):
                found[(agreement.employer_id, year)] = (agreement.employer, year)
    return list(found.values())


def ask(actor: User, employer: Employer, year: int, reason: str, today: date,
        line: int | None = None) -> StatementReview:
    """The request of an HR user of the enterprise (about the whole statement, or the line
    of the reservist `line`) or of a reservist on the statement (their own line). Keeps the
    amount contested as the statement shows it now. Flushes; the caller commits."""
    if actor.role == Role.EMPLOYER and is_member(actor, employer.id):
        reservist_id = None
    elif actor.role == Role.CITIZEN and on_statement(actor.id, employer.id, year):
        reservist_id = line = actor.id
    else:
        raise Refusal(_("You are not allowed to take this action."))
    statement = statements.statement_for(employer, year)
    if line is None:
        amount = statement.total
    else:
        found = [item for item in statement.lines if item.reservist_id == line]
        if not found:
            # TRANSLATORS: formal (to an enterprise's HR user)
            raise Refusal(_("Choose a line of this statement."), "line")
        amount = found[0].due
    if not is_open(year, today):
        raise Refusal(
            _(
                "This statement can be contested from the end of the year it covers "
                "until %(date)s.",
                date=format_date(deadline(year), "long"),
            )
        )
    if any(r.is_open and r.asked_by_id == actor.id and r.line_reservist_id == line
           for r in for_statement(employer.id, year)):
        raise Refusal(_("You already asked for a review of this statement."))
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise Refusal(
            _("Give the reason, in at least %(num)d characters.", num=REASON_MIN), "reason"
        )
    if len(reason) > REASON_MAX:
        raise Refusal(_("Keep the reason under %(num)d characters.", num=REASON_MAX), "reason")
    review = StatementReview(
        employer_id=employer.id,
        year=year,
        reservist_id=reservist_id,
        line_reservist_id=line,
        amount_cents=statements.cents(amount),
        asked_by_id=actor.id,
        reason=reason,
        created_at=utcnow(),
    )
    db.session.add(review)
    db.session.flush()
    audit.record(actor, "statement_review.created", review, employer_id=employer.id, year=year,
                 line_reservist_id=line, amount_cents=review.amount_cents)
    return review


def parse_amount(text: str | None) -> Decimal | None:
    """An amount in euros as typed ("1234.50", "1.234,50", "€ 1234"); None if it is not one."""
    text = (text or "").replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(statements.CENT):
        return None
    return value


def deciders(review: StatementReview) -> set[int]:
    """Who issued the statement under review (the year's statement letters of the
    enterprise): none of them may answer."""
    return {
        i
        for i in db.session.scalars(
            db.select(Letter.created_by_id).where(
                Letter.kind == "statement",
                Letter.subject_type == "Employer",
                Letter.subject_id == str(review.employer_id),
                Letter.created_at >= _year_end(review.year),
            )
        )
        if i is not None
    }


def waiting() -> list[StatementReview]:
    return list(
        db.session.scalars(
            db.select(StatementReview)
            .where(StatementReview.answered_at.is_(None))
            .order_by(StatementReview.created_at)
        )
    )


def _answer_recipient(review: StatementReview, asker: User):
    """Who the answer goes to, whether formally, and in which languages: the enterprise at
    its postal address, formally, or the reservist, each in their own languages."""
    if review.reservist_id is None:
        to, formal = effects.recipient(review.employer), True
        language = review.employer.language
    else:
        person = getattr(asker, "person", None)
        to = (letters.Recipient.from_person(person) if person is not None else
              letters.Recipient(name=asker.full_name, address_lines=(), postcode="",
                                first_name=asker.first_name or None))
        formal, language = False, asker.language
    return to, formal, regions.REGISTER_LANGUAGES.get(
        language, regions.REGISTER_LANGUAGES["nl"])


def issue_answer_letter(review: StatementReview, actor: User, asker: User):
    """The answer as a letter, archived for the one who asked: made once the answer is
    committed (letters.pending); what would stop it from printing refuses the answer now."""
    to, _formal, languages = _answer_recipient(review, asker)
    return pending.later_printable("statement_review_answer", make_answer_letter,
                                   subject=review, recipient=to, languages=languages,
                                   user=asker, actor=actor)


def make_answer_letter(row) -> None:
    """Issue a pending answer letter (letters.pending calls it after the commit). A review
    erased meanwhile gets no letter."""
    review = db.session.get(StatementReview, int(row.subject_id))
    asker = db.session.get(User, row.user_id) if row.user_id else None
    if review is None or asker is None:
        return
    actor = db.session.get(User, row.actor_id) if row.actor_id else None
    to, formal, languages = _answer_recipient(review, asker)
    letters.issue(
        "statement_review_answer", recipient=to, actor=actor, user=asker, subject=review,
        reference=row.reference, languages=languages,
        context={"review": review, "employer": review.employer, "formal": formal})


def answer_letter(review: StatementReview) -> Letter | None:
    """The letter that carries the answer, for a link next to it."""
    return db.session.scalar(db.select(Letter).where(
        Letter.kind == "statement_review_answer", Letter.subject_type == "StatementReview",
        Letter.subject_id == str(review.id)).order_by(Letter.id.desc()).limit(1))


def answer(actor: User, review_id: int, outcome: str, text: str,
           corrected: str | None = None) -> StatementReview:
    """A Defence administrator's answer: upheld, or corrected with the corrected amount in
    euros (of the line contested, or the statement's total). The e-mail to the one who asked
    follows the commit. Flushes."""
    review = lock_row(StatementReview, review_id)
    text = (text or "").strip()
    if actor.role != Role.ADMIN:
        raise Refusal(_("You are not allowed to take this action."))
    if not review.is_open:
        raise Refusal(_("This request was already answered."))
    if actor.id in deciders(review):
        raise Refusal(
            _(
                "You issued the statement under review: a colleague who did not must "
                "answer this request."
            )
        )
    if outcome not in OUTCOMES:
        raise Refusal(_("Choose whether the statement is upheld or corrected."), "outcome")
    if len(text) < REASON_MIN:
        raise Refusal(
            _("Give the reason for your answer, in at least %(num)d characters.", num=REASON_MIN),
            "answer",
        )
    amount = None
    if outcome == "corrected":
        amount = parse_amount(corrected)
        if amount is None:
            raise Refusal(_("Give the corrected amount in euros and cents."), "corrected")
        if amount > MAX_AMOUNT:
            raise Refusal(_("This amount is larger than any statement can be."), "corrected")
        review.corrected_cents = statements.cents(amount)
    review.outcome, review.answer = outcome, text[:REASON_MAX]
    review.answered_by_id, review.answered_at = actor.id, utcnow()
    db.session.flush()
    audit.record(
        actor,
        "statement_review.answered",
        review,
        outcome=outcome,
        employer_id=review.employer_id,
        year=review.year,
        line_reservist_id=review.line_reservist_id,
        amount_cents=review.amount_cents,
        corrected_cents=review.corrected_cents,
    )
    asker = db.session.get(User, review.asked_by_id)
    issue_answer_letter(review, actor, asker)
    names = {"year": review.year, "employer": review.employer.name}
    if review.reservist_id is None:
        link = mail.external_url(
            "employers_hr.statement", employer_id=review.employer_id, year=review.year
        )
        # TRANSLATORS: formal (to an enterprise's HR user)
        first = _l(
            "Defence answered your request to review the compensation statement "
            "%(year)d of %(employer)s.",
            **names,
        )
    else:
        link = mail.external_url("employers_reservist.index")
        first = _l(
            "Defence answered your request to review your days in the compensation "
            "statement %(year)d of %(employer)s.",
            **names,
        )
    outbox.later(
        asker.email,
        "notice",
        asker.language,
        ANSWER_SUBJECT,
        # An enterprise's HR user is written to formally; a reservist as everywhere else.
        formal=asker.role == Role.EMPLOYER,
        name=(asker.full_name if asker.role == Role.EMPLOYER else asker.first_name)
        or asker.email,
        link=link,
        link_label=None,
        lines=(first, OUTCOMES[outcome], *corrected_lines(review), review.answer),
    )
    return review


class _Euros:
    """An amount written in the language of the message it is put in ("1.234,50" in Dutch,
    "1,234.50" in English): formatted when the message is rendered, for its reader."""

    def __init__(self, cents: int):
        self.cents = cents

    def __str__(self) -> str:
        return format_decimal(terms.euros(self.cents), format="#,##0.00")


def corrected_lines(review: StatementReview) -> tuple:
    """What the answer's e-mail says of the amount: before and after the correction."""
    if review.corrected_cents is None or review.amount_cents is None:
        return ()
    was, now = _Euros(review.amount_cents), _Euros(review.corrected_cents)
    if review.line_reservist_id is None:
        return (_l("The statement's total is corrected from € %(was)s to € %(now)s.",
                   was=was, now=now),)
    return (_l("The amount of %(name)s is corrected from € %(was)s to € %(now)s.",
               name=review.line_reservist.full_name, was=was, now=now),)
