"""Applying to the Reserve (after the service year or directly), suggestions with their
reasons, and the recruiters' decisions on an engagement."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal import audit, clock, i18n
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import letters, vocab, workflow, year_end
from portal.reserve.models import (
    Engagement,
    EngagementStatus,
    Origin,
    Pillar,
    RankCategory,
    Skill,
    UnavailablePeriod,
    Unit,
    UnitPreference,
    UnitSkill,
)

# Engagements that keep someone from applying again.
IN_PROGRESS = (EngagementStatus.APPLIED, EngagementStatus.SCREENING,
               EngagementStatus.APPROVED, EngagementStatus.ACTIVE)


@dataclass
class Request:
    """What a candidate fills in, as plain values."""

    pillar: str
    rank_category: str = RankCategory.SOLDIER
    days_per_year: int = 0
    commitment_months: int = 0
    availability: str = "part_time"
    unit_ids: list[int] = field(default_factory=list)  # in order of preference
    preferred_province: str = ""
    skill_ids: list[int] = field(default_factory=list)
    expertise_text: str = ""
    unavailable: list[tuple[date, date]] = field(default_factory=list)
    street: str = ""
    postcode: str = ""
    motivation: str = ""


def minimum_days(rank_category: str) -> int:
    key = ("RESERVE_MIN_DAYS_SOLDIER" if rank_category == RankCategory.SOLDIER
           else "RESERVE_MIN_DAYS_CADRE")
    return current_app.config[key]


def minimum_months() -> int:
    return current_app.config["RESERVE_MIN_COMMITMENT_MONTHS"]


def in_progress_for(user_id: int) -> Engagement | None:
    return db.session.scalar(db.select(Engagement).where(
        Engagement.user_id == user_id, Engagement.status.in_(IN_PROGRESS)
    ).order_by(Engagement.id.desc()).limit(1))


def for_user(user_id: int) -> list[Engagement]:
    return db.session.scalars(db.select(Engagement).where(Engagement.user_id == user_id)
                              .order_by(Engagement.id.desc())).all()


def needed_skills() -> list[Skill]:
    return db.session.scalars(db.select(Skill).where(Skill.needed.is_(True))
                              .order_by(Skill.code)).all()


def active_units(pillar: str | None = None) -> list[Unit]:
    query = db.select(Unit).where(Unit.active.is_(True)).order_by(Unit.pillar, Unit.name)
    if pillar:
        query = query.where(Unit.pillar == pillar)
    return db.session.scalars(query).all()


def problems(req: Request) -> list[Refusal]:
    """Every rule the request breaks, each naming its field, in the form's order (empty when
    it may be filed): a form shows them all at once."""
    found: list[Refusal] = []

    def no(message: str, field: str) -> None:
        found.append(Refusal(message, field=field))

    if req.pillar not in set(Pillar):
        no(_("Choose a pillar."), "pillar")
    if req.rank_category not in set(RankCategory):
        no(_("Choose your rank category."), "rank_category")
    else:
        low = minimum_days(req.rank_category)
        if req.days_per_year < low:
            no(_("Give at least %(min)d days a year (the minimum for %(rank)s).",
                 min=low, rank=vocab.RANK_LABELS[RankCategory(req.rank_category)]),
               "days_per_year")
    if req.days_per_year > 365:
        no(_("A year has at most 365 days."), "days_per_year")
    if req.commitment_months < minimum_months():
        no(_("Commit for at least %(months)d months.", months=minimum_months()),
           "commitment_months")
    if req.pillar == Pillar.TERRITORIAL:
        if req.preferred_province not in vocab.PROVINCE_LABELS:
            no(_("Choose the province where you would like to serve."), "preferred_province")
    elif req.pillar in set(Pillar):
        units = {u.id: u for u in active_units(req.pillar)}
        if not req.unit_ids:
            no(_("Rank at least one unit."), "units")
        elif any(uid not in units for uid in req.unit_ids):
            no(_("Choose units of the pillar you chose."), "units")
        elif len(set(req.unit_ids)) != len(req.unit_ids):
            no(_("Rank each unit only once."), "units")
    if req.pillar == Pillar.SPECIALISED and not (req.skill_ids or req.expertise_text.strip()):
        no(_("Tell us your expertise: choose it from the list or describe it."), "skills")
    known = {s.id for s in needed_skills()}
    if any(sid not in known for sid in req.skill_ids):
        no(_("Choose expertise from the list."), "skills")
    if any(end < start for start, end in req.unavailable):
        no(_("A period you cannot serve must end on or after its first day."), "unavailable")
    return found


def check(req: Request) -> None:
    """Refuse what the rules do not allow: one refusal listing every problem found."""
    found = problems(req)
    if found:
        raise Refusal.of_all(found)


def apply(user, req: Request, *, today: date | None = None) -> Engagement:
    """File an application to the Reserve. After the service year, it answers the open
    end-of-year question; otherwise it is a direct application. Flushes."""
    today = today or clock.today()
    check(req)
    if in_progress_for(user.id) is not None:
        raise Refusal(_("You already have a reserve engagement in progress."))
    choice = year_end.open_choice_for(user.id)
    if choice is not None and today > choice.deadline:
        choice = None  # lapsed (the daily command records it): a direct application
    if choice is not None:
        year_end.choose(user, choice, "reserve", today=today)
    engagement = Engagement(
        reference=_reference(today), user_id=user.id,
        origin=Origin.SERVICE_YEAR if choice is not None else Origin.DIRECT,
        choice_id=getattr(choice, "id", None),
        first_name=user.first_name, last_name=user.last_name, language=user.language,
        street=req.street.strip(), postcode=req.postcode.strip(),
        province=vocab.province_of(req.postcode), pillar=req.pillar,
        rank_category=req.rank_category, days_per_year=req.days_per_year,
        commitment_months=req.commitment_months, availability=req.availability,
        preferred_province=req.preferred_province if req.pillar == Pillar.TERRITORIAL else "",
        expertise_text=req.expertise_text.strip(), motivation=req.motivation.strip(),
    )
    engagement.skills = [db.session.get(Skill, sid) for sid in req.skill_ids]
    engagement.preferences = [UnitPreference(unit_id=uid, rank=i)
                              for i, uid in enumerate(req.unit_ids, start=1)]
    engagement.unavailable = [UnavailablePeriod(starts_on=s, ends_on=e) for s, e in req.unavailable]
    db.session.add(engagement)
    db.session.flush()
    audit.record(user, "reserve.engagement.applied", engagement, pillar=req.pillar,
                 origin=engagement.origin)
    # One message: the choice after the service year, or a direct application, received.
    letters.tell(engagement, *(("application", "choose_reserve") if choice is not None
                               else ("engagement", "apply")))
    return engagement


def _reference(today: date) -> str:
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return f"RSV-{today:%y%m}-" + "".join(secrets.choice(alphabet) for _ in range(8))


@dataclass(frozen=True)
class Suggestion:
    unit: Unit
    score: int
    reasons: list[str]


def suggest(skill_ids, postcode: str, days_per_year: int, pillar: str | None = None,
            limit: int = 5) -> list[Suggestion]:
    """Units that fit what the candidate said, then where they live and free places.

    What the candidate states comes first: a chosen pillar is kept to, and when units need
    one of the candidate's skills only those are suggested (an expert is never sent to a
    nearby unit that needs nothing they know). Distance is by province (the postcode table
    has no coordinates). Each reason is one whole sentence in the reader's language.
    """
    home = vocab.province_of(postcode)
    wanted = set(skill_ids or ())
    needs: dict[int, set[int]] = {}
    for unit_id, skill_id in db.session.execute(db.select(UnitSkill.unit_id,
                                                          UnitSkill.skill_id)).all():
        needs.setdefault(unit_id, set()).add(skill_id)
    units = [unit for unit in active_units(pillar) if unit.places > 0]
    if any(wanted & needs.get(unit.id, set()) for unit in units):
        units = [unit for unit in units if wanted & needs.get(unit.id, set())]
    language = i18n.current()
    result = []
    for unit in units:
        score, reasons = 0, []
        matching = wanted & needs.get(unit.id, set())
        if matching:
            score += 3 * len(matching)
            names = sorted(s.name(language) for s in unit.skills if s.id in matching)
            reasons.append(_("This unit needs what you know: %(skills)s.",
                             skills=", ".join(names)))
        if home and unit.province == home:
            score += 2
            reasons.append(_("It is in your home province, %(province)s.",
                             province=vocab.PROVINCE_LABELS[home]))
        if unit.pillar != Pillar.SPECIALISED and days_per_year >= minimum_days("soldier"):
            score += 1
        if score == 0:
            continue
        reasons.append(ngettext("It still has %(num)d free place.",
                                "It still has %(num)d free places.", unit.places))
        result.append(Suggestion(unit, score, reasons))
    result.sort(key=lambda s: (-s.score, s.unit.name))
    return result[:limit]


def suggested_pillar(suggestions: list[Suggestion]) -> str | None:
    return suggestions[0].unit.pillar if suggestions else None


def prepare_approval(engagement: Engagement, unit_id: int | None, start_date: date | None,
                     actor) -> None:
    """Set the unit and start date a recruiter chose before approving. Flushes."""
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or not unit.active:
        raise Refusal(_("Choose the unit."), field="unit_id")
    if unit.pillar != engagement.pillar:
        raise Refusal(_("Choose a unit of the engagement's pillar."), field="unit_id")
    if start_date is None:
        raise Refusal(_("Choose the start date."), field="start_date")
    engagement.unit_id = unit.id
    engagement.start_date = start_date
    engagement.end_date = year_end.add_months(start_date, engagement.commitment_months)
    db.session.flush()


def decide(engagement: Engagement, action: str, actor, *, reason: str = "",
           version: int | None = None, unit_id: int | None = None,
           start_date: date | None = None) -> None:
    """A recruiter moves an engagement; approval sets the unit and start date first."""
    if action == "approve":
        prepare_approval(engagement, unit_id, start_date, actor)
    if action == "reject" and reason not in vocab.REJECTION_REASONS:
        raise Refusal(_("Choose the reason for the rejection."), field="reason")
    workflow.transition(engagement, action, actor, reason=reason, version=version)


def activate_started(today: date | None = None) -> int:
    """Daily: approved engagements whose start date has come become active; those past
    their end date end. Returns how many moved."""
    today = today or clock.today()
    moved = 0
    for engagement in db.session.scalars(db.select(Engagement).where(
            Engagement.status == EngagementStatus.APPROVED, Engagement.start_date <= today)):
        workflow.transition(engagement, "activate", None, reason="start date reached")
        moved += 1
    for engagement in db.session.scalars(db.select(Engagement).where(
            Engagement.status == EngagementStatus.ACTIVE, Engagement.end_date < today)):
        workflow.transition(engagement, "end", None, reason="commitment period over")
        moved += 1
    return moved


STATUS_HELP = {
    EngagementStatus.APPLIED: _l("Your application is in. A recruiter will look at it soon."),
    EngagementStatus.SCREENING: _l("A recruiter is looking at your application."),
    EngagementStatus.APPROVED: _l("You are approved. Your engagement letter is below."),
    EngagementStatus.REJECTED: _l("Your application was not approved; the letter below says "
                                  "why."),
    EngagementStatus.ACTIVE: _l("You are an active reservist. Your training year is planned "
                                "below."),
    EngagementStatus.ENDED: _l("Your engagement has ended. Thank you for your service."),
    EngagementStatus.WITHDRAWN: _l("You withdrew this application."),
}
