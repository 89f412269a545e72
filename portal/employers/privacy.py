"""The employers domain's share of export, erasure and retention: for the reservist, and for
the employers' HR users.

What it holds on a citizen: the employers they named (with the HR address to write to),
the agreements between those employers and Defence about them, and the employers' answers
to their training periods. On an HR user: the enterprises they act for, the agreements they
were sent as contact, their requests to join an enterprise, the agreements they signed and
their answers to training periods. Their accounts are accounts like any other.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, tuple_

from portal import privacy_registry as registry
from portal.employers.models import (
    LIVE,
    AccessLink,
    Agreement,
    AgreementContact,
    AgreementEvent,
    AgreementStatus,
    EmployerUser,
    JoinRequest,
    Nomination,
    PeriodAnswer,
    SelfEmployment,
    StatementReview,
)
from portal.extensions import db
from portal.letters import services as letter_services

A = AgreementStatus
# Once signed, an agreement is a contract the State pays compensation under: kept.
SIGNED_ONCE = (A.SIGNED, A.SUSPENDED, A.ENDED)

LABELS = {
    "nominations": _l("Employers you named"),
    "employer": _l("Employer"),
    "hr_email": _l("HR e-mail address"),
    "hold": _l("Not to be contacted yet"),
    "contacted_at": _l("Contacted on"),
    "agreements": _l("Employer agreements"),
    "signed_name": _l("Signed by"),
    "signed_at": _l("Signed on"),
    "days_per_year": _l("Days a year"),
    "notice_days": _l("Notice in days"),
    "period_answers": _l("Your employer's answers to your training periods"),
    "statement_reviews": _l("Your requests to review a compensation statement"),
    "year": _l("Year"),
    "self_employment": _l("Self-employed"),
    "enterprise_number": _l("Enterprise number"),
    "iban": _l("Account number (IBAN)"),
    "declared_on": _l("From"),
    "ended_on": _l("To"),
}


def _agreements(user) -> list[Agreement]:
    return registry.owned(Agreement.reservist_id, user)


def export(user) -> dict | None:
    agreements = _agreements(user)
    answers = db.session.scalars(select(PeriodAnswer).where(
        PeriodAnswer.agreement_id.in_([a.id for a in agreements]))
        .order_by(PeriodAnswer.starts_on)).all() if agreements else []
    return registry.export_of(
        nominations=registry.rows(registry.owned(Nomination.reservist_id, user),
                                  ("employer", "employer.name"), "hr_email", "hold",
                                  "contacted_at"),
        agreements=registry.rows(
            agreements, ("employer", "employer.name"), "status", "signed_name", "signed_at",
            ("days_per_year", "terms.days_per_year"), ("notice_days", "terms.notice_days"),
            ("history", lambda a: registry.rows(a.events, "action", "reason", "at"))),
        period_answers=registry.rows(answers, ("employer", "agreement.employer.name"),
                                     "starts_on", "ends_on", "answer", "reason", "answered_at"),
        statement_reviews=_reviews_asked(user),
        self_employment=registry.rows(registry.owned(SelfEmployment.reservist_id, user),
                                      ("enterprise_number", "formatted_number"), "iban",
                                      "declared_on", "ended_on"),
    )


def _delete_agreements(ids) -> None:
    """Agreements with their history, answers, links and letters."""
    registry.update_rows(JoinRequest, JoinRequest.agreement_id.in_(ids), agreement_id=None)
    registry.delete_children(ids, AgreementEvent.agreement_id, PeriodAnswer.agreement_id,
                             AgreementContact.agreement_id, AccessLink.agreement_id)
    letter_services.delete_of_subjects(Agreement, ids)
    registry.delete_rows(Agreement, Agreement.id.in_(ids))


_SIGNED = registry.Kept(
    registry.N_("The agreement your employer signed for you"), None,
    registry.N_("It is a contract under which the State compensates your employer for the "
                "days you serve; it is kept with your record in the Reserve."))


def erase(user, actor, now, kept_subjects=None, **_kw) -> registry.Erased:
    result = registry.Erased()
    registry.keep_or_delete(
        result, _agreements(user), kind="agreements", remove=_delete_agreements,
        keeps=lambda agreement: _SIGNED if agreement.status in SIGNED_ONCE else None,
        kept_subjects=kept_subjects)
    # Their requests about their days in a statement go; the days served stay with the
    # Reserve's attendance.
    registry.delete_owned(result, user, statement_reviews=StatementReview.asked_by_id,
                          nominations=Nomination.reservist_id,
                          self_employment=SelfEmployment.reservist_id)
    return result


def holds_users():
    return select(Agreement.reservist_id).where(Agreement.status.in_(LIVE))


def _delete_closed(rows) -> None:
    _delete_agreements([r.id for r in rows])
    pairs = [(r.reservist_id, r.employer_id) for r in rows]
    # A nomination goes once no agreement of that reservist and employer is left.
    remaining = select(Agreement.id).where(
        Agreement.reservist_id == Nomination.reservist_id,
        Agreement.employer_id == Nomination.employer_id)
    registry.delete_rows(Nomination, tuple_(Nomination.reservist_id,
                                            Nomination.employer_id).in_(pairs),
                         ~remaining.exists())


# Declined and ended agreements older than the cutoff, and the nominations that led to them.
purge_closed = registry.older(
    Agreement.status_changed_at, or_(Agreement.status == A.DECLINED, Agreement.status == A.ENDED),
    remove=_delete_closed, of=(Agreement.id, Agreement.reservist_id, Agreement.employer_id),
    chunk=500)


PART = registry.Part(
    name="employers",
    label=_l("Your employer"),
    export=export,
    erase=erase,
    labels=LABELS,
    holds_users=holds_users,
    order=6,  # before letters, which keep the letters of kept agreements
    rules=(registry.Rule(
        kind="agreements_closed",
        label=_l("Declined and ended employer agreements"),
        purpose=_l("Agree with employers on their reservists' training days and compensate "
                   "them"),
        legal_basis=_l("The public task of Defence and the law on the compensation of "
                       "employers of reservists (GDPR Art. 6(1)(c) and (e))"),
        categories=_l("Employer, HR contact, the agreement's terms and signature, answers "
                      "to training periods"),
        since=_l("the last status change"),
        purge=purge_closed,
        recipients=_l("The reservist's employer"),
        stage=40,
    ),),
)



HR_LABELS = {
    "enterprises": _l("Enterprises you act for"),
    "administrator": _l("Administrator of the enterprise"),
    "contact_of": _l("Agreements sent to you as HR contact"),
    "join_requests": _l("Your requests to join an enterprise"),
    "signed": _l("Agreements you signed"),
    "answers_given": _l("Your answers to training periods"),
    "employer": _l("Employer"),
    "reservist": _l("Reservist"),
    "function": _l("Function"),
    "statement_reviews": _l("Your requests to review a compensation statement"),
    "year": _l("Year"),
}


def _reviews_asked(user) -> list[dict]:
    return registry.rows(registry.owned(StatementReview.asked_by_id, user),
                         ("employer", "employer.name"), "year", "reason", ("at", "created_at"),
                         "answer", "answered_at")


def export_hr(user) -> dict | None:
    return registry.export_of(
        enterprises=registry.rows(registry.owned(EmployerUser.user_id, user),
                                  ("employer", "employer.name"), ("administrator", "is_admin"),
                                  ("at", "created_at")),
        contact_of=registry.rows(registry.owned(AgreementContact.user_id, user),
                                 ("employer", "agreement.employer.name"),
                                 ("reservist", "agreement.reservist.full_name"),
                                 ("at", "created_at")),
        join_requests=registry.rows(registry.owned(JoinRequest.user_id, user),
                                    ("employer", "employer.name"), "function", "status",
                                    ("at", "requested_at")),
        signed=registry.rows(registry.owned(Agreement.signed_by_id, user),
                             ("employer", "employer.name"), ("reservist", "reservist.full_name"),
                             ("function", "signed_function"), ("at", "signed_at")),
        answers_given=registry.rows(registry.owned(PeriodAnswer.answered_by_id, user),
                                    ("employer", "agreement.employer.name"), "answer",
                                    "starts_on", ("at", "answered_at")),
        statement_reviews=_reviews_asked(user),
    )


def erase_hr(user, actor, now, **_kw) -> registry.Erased:
    """An HR user leaves: their access to enterprises and agreements and their open requests
    go; the agreements they signed and their answers stay, as the enterprise's own acts."""
    result = registry.Erased()
    registry.delete_owned(result, user, employer_memberships=EmployerUser.user_id,
                          agreement_contacts=AgreementContact.user_id,
                          join_requests=JoinRequest.user_id)
    # Requests to review a statement made for the enterprise are its own acts, like its
    # answers: they stay with the statement.
    if registry.count_rows(StatementReview, StatementReview.asked_by_id == user.id):
        result.kept.append(registry.Kept(
            registry.N_("Your requests to review a compensation statement, with the answers"),
            None, registry.N_("They belong to the enterprise's compensation record.")))
    if (registry.count_rows(Agreement, Agreement.signed_by_id == user.id)
            or registry.count_rows(PeriodAnswer, PeriodAnswer.answered_by_id == user.id)):
        result.kept.append(registry.Kept(
            registry.N_("The agreements you signed and your answers to training periods, "
                        "with the name and function you signed with"), None,
            registry.N_("They are the enterprise's commitments, under which the State "
                        "compensates it; they are kept with the agreement.")))
    return result


HR_PART = registry.Part(
    name="employer_access",
    label=_l("Your access to employers' agreements"),
    export=export_hr,
    erase=erase_hr,
    labels=HR_LABELS,
    order=7,
)
