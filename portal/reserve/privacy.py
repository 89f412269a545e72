"""The Reserve's share of export, erasure and retention.

What it holds on a citizen: engagements (with the address, motivation, expertise, unit
wishes and unavailable periods given when applying), their history, uploaded proofs (files
under RESERVE_PROOF_DIR), the end-of-year choice, training assignments with attendance,
and calendar addresses.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

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
    "pillar": _l("Pillar"),
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
    "skills": _l("Skills"),
    "unit_wishes": _l("Units you would like to serve in"),
    "unavailable": _l("Periods you cannot serve"),
    "proofs": _l("Uploaded files"),
    "filename": _l("File"),
    "size": _l("Size in bytes"),
    "uploaded_at": _l("Uploaded on"),
    "training": _l("Training periods"),
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
    return registry.owned(Engagement.user_id, user)


def export(user) -> dict | None:
    return registry.export_of(
        engagements=registry.rows(
            _engagements(user), "reference", "pillar", "status", "rank_category", "days_per_year",
            "commitment_months", "availability", "preferred_province",
            ("address", lambda e: " ".join(x for x in (e.street, e.postcode) if x)),
            ("expertise", "expertise_text"), "motivation",
            ("unit", lambda e: e.unit.name if e.unit else None),
            "start_date", "end_date", "submitted_at", "decided_at",
            ("skills", lambda e: [s.code for s in e.skills]),
            ("unit_wishes", lambda e: [p.unit.name for p in e.preferences]),
            ("unavailable", lambda e: registry.rows(e.unavailable, "starts_on", "ends_on")),
            ("history", lambda e: registry.rows(e.events, "action", "from_status",
                                                "to_status", "reason", "at")),
            ("proofs", lambda e: registry.rows(e.proofs, "filename", "size", "uploaded_at"))),
        year_end_choices=registry.rows(registry.owned(YearEndChoice.user_id, user), "status",
                                       "deadline", "decided_at"),
        training=registry.rows(registry.owned(Assignment.user_id, user),
                               ("starts_on", "period.starts_on"), ("ends_on", "period.ends_on"),
                               ("place", "period.place"), "status", "served_days"),
        calendar_addresses=registry.rows(registry.owned(CalendarFeed.user_id, user),
                                         "created_at", "revoked_at", "last_fetched_at"),
    )


def _delete_proofs(proofs) -> int:
    """Proofs and their files. Returns how many."""
    for proof in proofs:
        proof_files.path_of(proof).unlink(missing_ok=True)
    if proofs:
        registry.delete_rows(Proof, Proof.id.in_([p.id for p in proofs]))
    return len(proofs)


def _proofs(*where) -> list[Proof]:
    return db.session.scalars(select(Proof).where(*where)).all()


def _delete_engagements(ids) -> None:
    """Whole engagement files: wishes, periods, skills, history, proofs, planned training
    and letters."""
    _delete_proofs(_proofs(Proof.engagement_id.in_(ids)))
    registry.delete_children(ids, UnitPreference.engagement_id,
                             UnavailablePeriod.engagement_id, EngagementSkill.engagement_id,
                             EngagementEvent.engagement_id, Assignment.engagement_id)
    letter_services.delete_of_subjects(Engagement, ids)
    registry.delete_rows(Engagement, Engagement.id.in_(ids))


def erase(user, actor, now, kept_subjects=None, **_kw) -> registry.Erased:
    kept_choices = set()

    def keeps(e: Engagement) -> registry.Kept | None:
        if e.status in SERVICE:
            return registry.Kept(registry.N_("Your record in the Reserve"), None, registry.N_(
                "The law on military personnel keeps the record of your engagement and the "
                "days you served; your address, motivation, wishes and uploaded files were "
                "removed."))
        if e.status == S.REJECTED:
            return registry.under_appeal(e.decided_at, now, registry.N_(
                "The decision on your application to the Reserve"))
        return None

    def minimise(e: Engagement) -> None:
        """What a kept record does not need: the address, the free texts, wishes and
        periods; its end-of-year choice stays with it."""
        e.street = e.postcode = ""
        e.motivation = e.expertise_text = ""
        registry.delete_children([e.id], UnitPreference.engagement_id,
                                 UnavailablePeriod.engagement_id)
        if e.choice_id is not None:
            kept_choices.add(e.choice_id)

    result = registry.Erased()
    result.counts["reserve_proofs"] = _delete_proofs(_proofs(Proof.user_id == user.id))
    registry.delete_owned(result, user, calendar_addresses=CalendarFeed.user_id)
    registry.keep_or_delete(result, _engagements(user), kind="engagements", keeps=keeps,
                            minimise=minimise, remove=_delete_engagements,
                            kept_subjects=kept_subjects)
    result.counts["year_end_choices"] = registry.delete_rows(
        YearEndChoice, YearEndChoice.user_id == user.id,
        YearEndChoice.id.not_in(kept_choices or {-1}))
    return result


def deletion_dates(user, days: dict) -> list[registry.DeletionDate]:
    dates = []
    for e in _engagements(user):
        if e.status in CLOSED:
            dates.append(registry.DeletionDate(
                _l("Your application to the Reserve %(reference)s", reference=e.reference),
                registry.days_after(e.status_changed_at, days["engagements_closed"]),
                _l("Counted from the decision or your withdrawal.")))
        for proof in e.proofs:
            dates.append(registry.DeletionDate(
                _l("Uploaded file %(name)s", name=proof.filename),
                registry.days_after(proof.uploaded_at, days["uploaded_proofs"]),
                _l("Counted from the upload, and only once your application has been "
                   "decided.")))
    return dates


def holds_users():
    return select(Engagement.user_id).where(Engagement.status.in_(OPEN))


# Uploaded proofs older than the cutoff, once their engagement is decided.
purge_proofs = registry.older(
    Proof.uploaded_at, Proof.engagement_id.in_(
        select(Engagement.id).where(Engagement.status.not_in(UNDER_REVIEW))),
    remove=_delete_proofs, of=Proof)
# Rejected and withdrawn engagements whose last change is older than the cutoff.
purge_closed = registry.older(Engagement.status_changed_at, Engagement.status.in_(CLOSED),
                              remove=_delete_engagements, chunk=500)


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
        legal_basis=registry.RECRUITING,
        categories=_l("Name, address, pillar, expertise, motivation, availability, history"),
        since=_l("the last status change"),
        purge=purge_closed,
        stage=40,
    ), registry.Rule(
        kind="uploaded_proofs",
        label=_l("Uploaded proofs of expertise"),
        purpose=_l("Check the expertise a candidate for the Reserve claims"),
        legal_basis=registry.RECRUITING,
        categories=_l("Certificates and diplomas as uploaded (PDF, JPEG, PNG)"),
        since=_l("the upload, once the application is decided"),
        purge=purge_proofs,
        stage=45,
    )),
)
