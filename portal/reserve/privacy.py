"""The Reserve's share of export, erasure and retention.

What it holds on a citizen: engagements (with the address, motivation, expertise, unit
wishes and unavailable periods given when applying), their history, uploaded proofs (files
under RESERVE_PROOF_DIR), the end-of-year choice, training assignments with attendance,
and calendar addresses.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from portal import privacy_registry as registry
from portal.extensions import db
from portal.letters import services as letter_services
from portal.reserve import proofs as proof_files
from portal.reserve.models import (
    Assignment,
    CalendarFeed,
    Engagement,
    EngagementEvent,
    EngagementSkill,
    EngagementStatus,
    Proof,
    UnavailablePeriod,
    UnitPreference,
    YearEndChoice,
)

S = EngagementStatus
# Under review or serving: the account is still needed and the proofs may be looked at.
OPEN = (S.APPLIED, S.SCREENING, S.APPROVED, S.ACTIVE)
UNDER_REVIEW = (S.APPLIED, S.SCREENING)
# Approved, serving or served: the law on military personnel keeps the service record.
SERVICE = (S.APPROVED, S.ACTIVE, S.ENDED)
# Finished without service: after the retention period the whole file goes.
CLOSED = (S.REJECTED, S.WITHDRAWN)

LABELS = {
    "engagements": _l("Your applications to the Reserve"),
    "reference": _l("Reference"),
    "pillar": _l("Pillar"),
    "status": _l("Status"),
    "rank_category": _l("Category"),
    "days_per_year": _l("Days a year"),
    "commitment_months": _l("Commitment in months"),
    "availability": _l("Availability"),
    "preferred_province": _l("Preferred province"),
    "address": _l("Address"),
    "expertise": _l("Your expertise"),
    "motivation": _l("Your motivation"),
    "unit": _l("Unit"),
    "start_date": _l("Start"),
    "end_date": _l("End"),
    "submitted_at": _l("Submitted on"),
    "decided_at": _l("Decided on"),
    "skills": _l("Skills"),
    "unit_wishes": _l("Units you would like to serve in"),
    "unavailable": _l("Periods you cannot serve"),
    "history": _l("History"),
    "action": _l("Action"),
    "from_status": _l("From"),
    "to_status": _l("To"),
    "reason": _l("Reason"),
    "at": _l("When"),
    "proofs": _l("Uploaded files"),
    "filename": _l("File"),
    "size": _l("Size in bytes"),
    "uploaded_at": _l("Uploaded on"),
    "training": _l("Training periods"),
    "starts_on": _l("From"),
    "ends_on": _l("To"),
    "place": _l("Place"),
    "served_days": _l("Days served"),
    "year_end_choices": _l("Your choice after the service year"),
    "deadline": _l("Deadline"),
    "calendar_addresses": _l("Calendar addresses"),
    "created_at": _l("Created on"),
    "revoked_at": _l("Revoked on"),
    "last_fetched_at": _l("Last read by a calendar"),
}


def _engagements(user) -> list[Engagement]:
    return db.session.scalars(select(Engagement).where(Engagement.user_id == user.id)
                              .order_by(Engagement.id)).all()


def export(user) -> dict | None:
    engagements = _engagements(user)
    choices = db.session.scalars(select(YearEndChoice).where(YearEndChoice.user_id == user.id)
                                 .order_by(YearEndChoice.id)).all()
    assignments = db.session.scalars(select(Assignment).where(Assignment.user_id == user.id)
                                     .order_by(Assignment.id)).all()
    feeds = db.session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == user.id)
                               .order_by(CalendarFeed.id)).all()
    if not (engagements or choices or assignments or feeds):
        return None
    return {
        "engagements": [{
            "reference": e.reference, "pillar": e.pillar, "status": e.status,
            "rank_category": e.rank_category, "days_per_year": e.days_per_year,
            "commitment_months": e.commitment_months, "availability": e.availability,
            "preferred_province": e.preferred_province,
            "address": " ".join(x for x in (e.street, e.postcode) if x),
            "expertise": e.expertise_text, "motivation": e.motivation,
            "unit": e.unit.name if e.unit else None,
            "start_date": e.start_date, "end_date": e.end_date,
            "submitted_at": e.submitted_at, "decided_at": e.decided_at,
            "skills": [s.code for s in e.skills],
            "unit_wishes": [p.unit.name for p in e.preferences],
            "unavailable": [{"starts_on": u.starts_on, "ends_on": u.ends_on}
                            for u in e.unavailable],
            "history": [{"action": ev.action, "from_status": ev.from_status,
                         "to_status": ev.to_status, "reason": ev.reason, "at": ev.at}
                        for ev in e.events],
            "proofs": [{"filename": p.filename, "size": p.size, "uploaded_at": p.uploaded_at}
                       for p in e.proofs],
        } for e in engagements],
        "year_end_choices": [{"status": c.status, "deadline": c.deadline,
                              "decided_at": c.decided_at} for c in choices],
        "training": [{"starts_on": a.period.starts_on, "ends_on": a.period.ends_on,
                      "place": a.period.place, "status": a.status,
                      "served_days": a.served_days} for a in assignments],
        "calendar_addresses": [{"created_at": f.created_at, "revoked_at": f.revoked_at,
                                "last_fetched_at": f.last_fetched_at} for f in feeds],
    }


def _delete_proofs(where) -> int:
    """Proof rows matching `where` and their files. Returns how many."""
    found = db.session.scalars(select(Proof).where(*where)).all()
    for proof in found:
        proof_files.path_of(proof).unlink(missing_ok=True)
    if found:
        db.session.execute(delete(Proof).where(Proof.id.in_([p.id for p in found]))
                           .execution_options(synchronize_session=False))
    return len(found)


def _delete_engagements(ids) -> None:
    """Whole engagement files: wishes, periods, skills, history, proofs, planned training
    and letters."""
    opts = {"synchronize_session": False}
    _delete_proofs([Proof.engagement_id.in_(ids)])
    for model, column in ((UnitPreference, UnitPreference.engagement_id),
                          (UnavailablePeriod, UnavailablePeriod.engagement_id),
                          (EngagementSkill, EngagementSkill.engagement_id),
                          (EngagementEvent, EngagementEvent.engagement_id),
                          (Assignment, Assignment.engagement_id)):
        db.session.execute(delete(model).where(column.in_(ids)).execution_options(**opts))
    letter_services.delete_of_subjects(Engagement, ids)
    db.session.execute(delete(Engagement).where(Engagement.id.in_(ids)).execution_options(**opts))


def _minimise(engagement: Engagement) -> None:
    """What a kept record does not need: the address, the free texts, wishes and periods."""
    engagement.street = engagement.postcode = ""
    engagement.motivation = engagement.expertise_text = ""
    for child in (UnitPreference, UnavailablePeriod):
        db.session.execute(delete(child).where(child.engagement_id == engagement.id)
                           .execution_options(synchronize_session=False))


def erase(user, actor, now, kept_subjects=None, **_kw) -> registry.Erased:
    appeal = timedelta(days=current_app.config["APPEAL_PERIOD_DAYS"])
    result = registry.Erased()
    result.counts["reserve_proofs"] = _delete_proofs([Proof.user_id == user.id])
    result.counts["calendar_addresses"] = db.session.execute(
        delete(CalendarFeed).where(CalendarFeed.user_id == user.id)).rowcount
    doomed, kept_choices = [], set()
    for e in _engagements(user):
        if e.status in SERVICE:
            until, what, why = None, registry.N_("Your record in the Reserve"), registry.N_(
                "The law on military personnel keeps the record of your engagement and the "
                "days you served; your address, motivation, wishes and uploaded files were "
                "removed.")
        elif e.status == S.REJECTED and e.decided_at is not None and e.decided_at + appeal > now:
            until = (e.decided_at + appeal).date()
            what = registry.N_("The decision on your application to the Reserve")
            why = registry.N_("You may still appeal the decision: until then the law "
                              "requires us to keep it. Your answers were removed.")
        else:
            doomed.append(e.id)
            continue
        _minimise(e)
        if e.choice_id is not None:
            kept_choices.add(e.choice_id)
        result.kept.append(registry.Kept(what, until, why))
        if kept_subjects is not None:
            kept_subjects.add(("Engagement", str(e.id)))
        result.counts["engagements_minimised"] = result.counts.get("engagements_minimised", 0) + 1
    if doomed:
        _delete_engagements(doomed)
    result.counts["engagements"] = len(doomed)
    result.counts["year_end_choices"] = db.session.execute(
        delete(YearEndChoice).where(YearEndChoice.user_id == user.id,
                                    YearEndChoice.id.not_in(kept_choices or {-1}))
        .execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    db.session.expire_all()
    return result


def deletion_dates(user, days: dict) -> list[registry.DeletionDate]:
    dates = []
    for e in _engagements(user):
        if e.status in CLOSED:
            dates.append(registry.DeletionDate(
                _l("Your application to the Reserve %(reference)s", reference=e.reference),
                (e.status_changed_at + timedelta(days=days["engagements_closed"])).date(),
                _l("Counted from the decision or your withdrawal.")))
        for proof in e.proofs:
            dates.append(registry.DeletionDate(
                _l("Uploaded file %(name)s", name=proof.filename),
                (proof.uploaded_at + timedelta(days=days["uploaded_proofs"])).date(),
                _l("Counted from the upload, and only once your application has been "
                   "decided.")))
    return dates


def holds_users():
    return select(Engagement.user_id).where(Engagement.status.in_(OPEN))


def purge_proofs(cutoff, now, dry_run: bool) -> int:
    """Uploaded proofs older than the cutoff, once their engagement is decided."""
    where = [Proof.uploaded_at < cutoff, Proof.engagement_id.in_(
        select(Engagement.id).where(Engagement.status.not_in(UNDER_REVIEW)))]
    if dry_run:
        return db.session.scalar(select(func.count(Proof.id)).where(*where)) or 0
    return _delete_proofs(where)


def purge_closed(cutoff, now, dry_run: bool) -> int:
    """Rejected and withdrawn engagements whose last change is older than the cutoff."""
    where = [Engagement.status.in_(CLOSED), Engagement.status_changed_at < cutoff]
    if dry_run:
        return db.session.scalar(select(func.count(Engagement.id)).where(*where)) or 0
    ids = db.session.scalars(select(Engagement.id).where(*where)).all()
    for start in range(0, len(ids), 500):
        _delete_engagements(ids[start:start + 500])
    return len(ids)


PART = registry.Part(
    name="reserve",
    label=_l("The Reserve"),
    export=export,
    erase=erase,
    deletion_dates=deletion_dates,
    labels=LABELS,
    holds_users=holds_users,
    # Before applications (a kept engagement keeps its end-of-year choice) and letters
    # (which keep the letters of kept records).
    order=5,
    rules=(registry.Rule(
        kind="engagements_closed",
        label=_l("Rejected and withdrawn applications to the Reserve"),
        purpose=_l("Recruit and manage reservists"),
        legal_basis=_l("The public task of recruiting for Defence (GDPR Art. 6(1)(e))"),
        categories=_l("Name, address, pillar, expertise, motivation, availability, history"),
        since=_l("the last status change"),
        purge=purge_closed,
        stage=40,
    ), registry.Rule(
        kind="uploaded_proofs",
        label=_l("Uploaded proofs of expertise"),
        purpose=_l("Check the expertise a candidate for the Reserve claims"),
        legal_basis=_l("The public task of recruiting for Defence (GDPR Art. 6(1)(e))"),
        categories=_l("Certificates and diplomas as uploaded (PDF, JPEG, PNG)"),
        since=_l("the upload, once the application is decided"),
        purge=purge_proofs,
        stage=45,
    )),
)
