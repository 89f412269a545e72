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
from sqlalchemy import delete, func, or_, select, tuple_, update

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
    "status": _l("Status"),
    "signed_name": _l("Signed by"),
    "signed_at": _l("Signed on"),
    "days_per_year": _l("Days a year"),
    "notice_days": _l("Notice in days"),
    "history": _l("History"),
    "action": _l("Action"),
    "reason": _l("Reason"),
    "at": _l("When"),
    "period_answers": _l("Your employer's answers to your training periods"),
    "starts_on": _l("From"),
    "ends_on": _l("To"),
    "answer": _l("Answer"),
    "answered_at": _l("Answered on"),
    "statement_reviews": _l("Your requests to review a compensation statement"),
    "year": _l("Year"),
    "self_employment": _l("Self-employed"),
    "enterprise_number": _l("Enterprise number"),
    "iban": _l("Account number (IBAN)"),
    "declared_on": _l("From"),
    "ended_on": _l("To"),
}


def _agreements(user) -> list[Agreement]:
    return db.session.scalars(select(Agreement).where(Agreement.reservist_id == user.id)
                              .order_by(Agreement.id)).all()


def export(user) -> dict | None:
    nominations = db.session.scalars(select(Nomination).where(
        Nomination.reservist_id == user.id).order_by(Nomination.id)).all()
    agreements = _agreements(user)
    reviews = _reviews_asked(user)
    own = db.session.scalar(select(SelfEmployment).where(
        SelfEmployment.reservist_id == user.id))
    if not nominations and not agreements and not reviews and own is None:
        return None
    answers = db.session.scalars(select(PeriodAnswer).where(
        PeriodAnswer.agreement_id.in_([a.id for a in agreements]))
        .order_by(PeriodAnswer.starts_on)).all() if agreements else []
    return {
        "nominations": [{"employer": n.employer.name, "hr_email": n.hr_email, "hold": n.hold,
                         "contacted_at": n.contacted_at} for n in nominations],
        "agreements": [{
            "employer": a.employer.name, "status": a.status, "signed_name": a.signed_name,
            "signed_at": a.signed_at, "days_per_year": a.terms.days_per_year,
            "notice_days": a.terms.notice_days,
            "history": [{"action": e.action, "reason": e.reason, "at": e.at}
                        for e in a.events],
        } for a in agreements],
        "period_answers": [{"employer": p.agreement.employer.name, "starts_on": p.starts_on,
                            "ends_on": p.ends_on, "answer": p.answer, "reason": p.reason,
                            "answered_at": p.answered_at} for p in answers],
        "statement_reviews": reviews,
        "self_employment": [{"enterprise_number": own.formatted_number, "iban": own.iban,
                             "declared_on": own.declared_on, "ended_on": own.ended_on}]
        if own is not None else [],
    }


def _delete_agreements(ids) -> None:
    """Agreements with their history, answers, links and letters."""
    opts = {"synchronize_session": False}
    db.session.execute(update(JoinRequest).where(JoinRequest.agreement_id.in_(ids))
                       .values(agreement_id=None).execution_options(**opts))
    for model, column in ((AgreementEvent, AgreementEvent.agreement_id),
                          (PeriodAnswer, PeriodAnswer.agreement_id),
                          (AgreementContact, AgreementContact.agreement_id),
                          (AccessLink, AccessLink.agreement_id)):
        db.session.execute(delete(model).where(column.in_(ids)).execution_options(**opts))
    letter_services.delete_of_subjects(Agreement, ids)
    db.session.execute(delete(Agreement).where(Agreement.id.in_(ids)).execution_options(**opts))


def erase(user, actor, now, kept_subjects=None, **_kw) -> registry.Erased:
    result = registry.Erased()
    doomed = []
    for agreement in _agreements(user):
        if agreement.status in SIGNED_ONCE:
            result.kept.append(registry.Kept(
                registry.N_("The agreement your employer signed for you"), None,
                registry.N_("It is a contract under which the State compensates your "
                            "employer for the days you serve; it is kept with your record "
                            "in the Reserve.")))
            if kept_subjects is not None:
                kept_subjects.add(("Agreement", str(agreement.id)))
        else:
            doomed.append(agreement.id)
    if doomed:
        _delete_agreements(doomed)
    result.counts["agreements"] = len(doomed)
    # Their requests about their days in a statement go; the days served stay with the
    # Reserve's attendance.
    result.counts["statement_reviews"] = db.session.execute(
        delete(StatementReview).where(StatementReview.asked_by_id == user.id)
        .execution_options(synchronize_session=False)).rowcount
    result.counts["nominations"] = db.session.execute(
        delete(Nomination).where(Nomination.reservist_id == user.id)
        .execution_options(synchronize_session=False)).rowcount
    result.counts["self_employment"] = db.session.execute(
        delete(SelfEmployment).where(SelfEmployment.reservist_id == user.id)
        .execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    db.session.expire_all()
    return result


def holds_users():
    return select(Agreement.reservist_id).where(Agreement.status.in_(LIVE))


def _closed(cutoff):
    return [or_(Agreement.status == A.DECLINED, Agreement.status == A.ENDED),
            Agreement.status_changed_at < cutoff]


def purge_closed(cutoff, now, dry_run: bool) -> int:
    """Declined and ended agreements older than the cutoff, and the nominations that led
    to them."""
    where = _closed(cutoff)
    if dry_run:
        return db.session.scalar(select(func.count(Agreement.id)).where(*where)) or 0
    rows = db.session.execute(select(Agreement.id, Agreement.reservist_id,
                                     Agreement.employer_id).where(*where)).all()
    for start in range(0, len(rows), 500):
        chunk = rows[start:start + 500]
        _delete_agreements([r.id for r in chunk])
        pairs = [(r.reservist_id, r.employer_id) for r in chunk]
        # A nomination goes once no agreement of that reservist and employer is left.
        remaining = select(Agreement.id).where(
            Agreement.reservist_id == Nomination.reservist_id,
            Agreement.employer_id == Nomination.employer_id)
        db.session.execute(delete(Nomination).where(
            tuple_(Nomination.reservist_id, Nomination.employer_id).in_(pairs),
            ~remaining.exists()).execution_options(synchronize_session=False))
    return len(rows)


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
    "status": _l("Status"),
    "function": _l("Function"),
    "at": _l("When"),
    "answer": _l("Answer"),
    "starts_on": _l("From"),
    "statement_reviews": _l("Your requests to review a compensation statement"),
    "year": _l("Year"),
    "reason": _l("Reason"),
    "answered_at": _l("Answered on"),
}


def _reviews_asked(user) -> list[dict]:
    rows = db.session.scalars(select(StatementReview).where(
        StatementReview.asked_by_id == user.id).order_by(StatementReview.id)).all()
    return [{"employer": r.employer.name, "year": r.year, "reason": r.reason,
             "at": r.created_at, "answer": r.answer, "answered_at": r.answered_at}
            for r in rows]


def export_hr(user) -> dict | None:
    memberships = db.session.scalars(select(EmployerUser).where(
        EmployerUser.user_id == user.id).order_by(EmployerUser.id)).all()
    contacts = db.session.scalars(select(AgreementContact).where(
        AgreementContact.user_id == user.id).order_by(AgreementContact.id)).all()
    requests = db.session.scalars(select(JoinRequest).where(
        JoinRequest.user_id == user.id).order_by(JoinRequest.id)).all()
    signed = db.session.scalars(select(Agreement).where(
        Agreement.signed_by_id == user.id).order_by(Agreement.id)).all()
    answers = db.session.scalars(select(PeriodAnswer).where(
        PeriodAnswer.answered_by_id == user.id).order_by(PeriodAnswer.id)).all()
    reviews = _reviews_asked(user)
    if not (memberships or contacts or requests or signed or answers or reviews):
        return None
    return {
        "enterprises": [{"employer": m.employer.name, "administrator": m.is_admin,
                         "at": m.created_at} for m in memberships],
        "contact_of": [{"employer": c.agreement.employer.name,
                        "reservist": c.agreement.reservist.full_name, "at": c.created_at}
                       for c in contacts],
        "join_requests": [{"employer": r.employer.name, "function": r.function,
                           "status": r.status, "at": r.requested_at} for r in requests],
        "signed": [{"employer": a.employer.name, "reservist": a.reservist.full_name,
                    "function": a.signed_function, "at": a.signed_at} for a in signed],
        "answers_given": [{"employer": a.agreement.employer.name, "answer": a.answer,
                           "starts_on": a.starts_on, "at": a.answered_at} for a in answers],
        "statement_reviews": reviews,
    }


def erase_hr(user, actor, now, **_kw) -> registry.Erased:
    """An HR user leaves: their access to enterprises and agreements and their open requests
    go; the agreements they signed and their answers stay, as the enterprise's own acts."""
    opts = {"synchronize_session": False}
    result = registry.Erased()
    result.counts["employer_memberships"] = db.session.execute(
        delete(EmployerUser).where(EmployerUser.user_id == user.id)
        .execution_options(**opts)).rowcount
    result.counts["agreement_contacts"] = db.session.execute(
        delete(AgreementContact).where(AgreementContact.user_id == user.id)
        .execution_options(**opts)).rowcount
    result.counts["join_requests"] = db.session.execute(
        delete(JoinRequest).where(JoinRequest.user_id == user.id)
        .execution_options(**opts)).rowcount
    # Requests to review a statement made for the enterprise are its own acts, like its
    # answers: they stay with the statement.
    asked = db.session.scalar(select(func.count(StatementReview.id)).where(
        StatementReview.asked_by_id == user.id)) or 0
    if asked:
        result.kept.append(registry.Kept(
            registry.N_("Your requests to review a compensation statement, with the answers"),
            None, registry.N_("They belong to the enterprise's compensation record.")))
    signed = db.session.scalar(select(func.count(Agreement.id)).where(
        Agreement.signed_by_id == user.id)) or 0
    answered = db.session.scalar(select(func.count(PeriodAnswer.id)).where(
        PeriodAnswer.answered_by_id == user.id)) or 0
    if signed or answered:
        result.kept.append(registry.Kept(
            registry.N_("The agreements you signed and your answers to training periods, "
                        "with the name and function you signed with"), None,
            registry.N_("They are the enterprise's commitments, under which the State "
                        "compensates it; they are kept with the agreement.")))
    db.session.flush()
    return result


HR_PART = registry.Part(
    name="employer_access",
    label=_l("Your access to employers' agreements"),
    export=export_hr,
    erase=erase_hr,
    labels=HR_LABELS,
    order=7,
)
