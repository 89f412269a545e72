"""The Reserve's words: labels of pillars, ranks, statuses, period kinds and provinces, and
the pillars explained side by side in plain words."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from portal import regions
from portal.reserve.models import (
    AssignmentStatus,
    Availability,
    ChoiceStatus,
    EngagementStatus,
    PeriodKind,
    Pillar,
    RankCategory,
)

PILLAR_LABELS = {
    Pillar.SPECIALISED: _l("Specialised reserve"),
    Pillar.COMBAT: _l("Combat reserve"),
    Pillar.TERRITORIAL: _l("Territorial reserve"),
}

RANK_LABELS = {
    RankCategory.SOLDIER: _l("Soldier"),
    RankCategory.NCO: _l("Non-commissioned officer"),
    RankCategory.OFFICER: _l("Officer"),
}

AVAILABILITY_LABELS = {
    Availability.PART_TIME: _l("Part-time (next to a job or studies)"),
    Availability.FULL_TIME: _l("Full-time (available on any working day)"),
}

STATUS_LABELS = {
    EngagementStatus.APPLIED: _l("Applied"),
    EngagementStatus.SCREENING: _l("Being screened"),
    EngagementStatus.APPROVED: _l("Approved"),
    EngagementStatus.REJECTED: _l("Not approved"),
    EngagementStatus.ACTIVE: _l("Active reservist"),
    EngagementStatus.ENDED: _l("Ended"),
    EngagementStatus.WITHDRAWN: _l("Withdrawn"),
}

ACTION_LABELS = {
    "start_screening": _l("Start screening"),
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "activate": _l("Activate"),
    "end": _l("End the engagement"),
    "withdraw": _l("Withdraw"),
}

CHOICE_LABELS = {
    ChoiceStatus.OPEN: _l("Waiting for your choice"),
    ChoiceStatus.CAREER: _l("A career in Defence"),
    ChoiceStatus.RESERVE: _l("The Reserve"),
    ChoiceStatus.LEFT: _l("Leaving Defence"),
    ChoiceStatus.LAPSED: _l("No choice by the deadline (counted as leaving)"),
}

KIND_LABELS = {
    PeriodKind.INITIAL: _l("Initial training"),
    PeriodKind.REFRESHER: _l("Refresher training"),
    PeriodKind.EXERCISE: _l("Exercise"),
    PeriodKind.DEPLOYMENT_PREPARATION: _l("Deployment preparation"),
    PeriodKind.CALL_UP: _l("Call-up"),
}

ASSIGNMENT_LABELS = {
    AssignmentStatus.PLANNED: _l("Planned: please confirm"),
    AssignmentStatus.CONFIRMED: _l("Confirmed"),
    AssignmentStatus.SWAP_REQUESTED: _l("Swap requested"),
    AssignmentStatus.SERVED: _l("Served"),
    AssignmentStatus.CANCELLED: _l("Cancelled"),
}

# Province codes; the postcode table names provinces in their local language.
PROVINCE_LABELS = {
    "antwerp": _l("Antwerp"),
    "limburg": _l("Limburg"),
    "east_flanders": _l("East Flanders"),
    "west_flanders": _l("West Flanders"),
    "flemish_brabant": _l("Flemish Brabant"),
    "brussels": _l("Brussels-Capital"),
    "walloon_brabant": _l("Walloon Brabant"),
    "hainaut": _l("Hainaut"),
    "liege": _l("Liège"),
    "luxembourg": _l("Luxembourg"),
    "namur": _l("Namur"),
}
_PROVINCE_OF_TABLE_NAME = {
    "Antwerpen": "antwerp", "Limburg": "limburg", "Oost-Vlaanderen": "east_flanders",
    "West-Vlaanderen": "west_flanders", "Vlaams-Brabant": "flemish_brabant", "": "brussels",
    "Brabant wallon": "walloon_brabant", "Hainaut": "hainaut", "Liège": "liege",
    "Lüttich": "liege", "Luxembourg": "luxembourg", "Namur": "namur",
}


def province_of(postcode: str | None) -> str:
    """The province code of a Belgian postcode ("" when the postcode is unknown)."""
    info = regions.lookup(postcode)
    if info is None:
        return ""
    return _PROVINCE_OF_TABLE_NAME.get(info.province, "")


@dataclass(frozen=True)
class PillarFacts:
    pillar: Pillar
    what: object
    days: object
    where: object
    readiness: object
    reconditioning: object | None


# The three pillars side by side, in plain words (the policy note's three pillars).
PILLARS = (
    PillarFacts(
        Pillar.SPECIALISED,
        _l("You bring an expertise Defence needs (cyber, medical, engineering, logistics, "
           "legal, languages, ...) and work next to civilian and active staff, for a task "
           "or over a longer time."),
        _l("As agreed with you, at least %(soldier)d days a year (%(cadre)d for NCOs and "
           "officers): from a few days to a few weeks, often in blocks."),
        _l("Where your expertise is needed: a headquarters, a hospital, a cyber or "
           "engineering unit, sometimes from your own workplace."),
        _l("Called upon for a specific task; you agree the dates ahead."),
        None,
    ),
    PillarFacts(
        Pillar.COMBAT,
        _l("You serve in a deployable unit built like an active unit: training, exercises "
           "and, when needed, a deployment alongside the active forces."),
        _l("At least %(soldier)d days a year for soldiers, %(cadre)d for NCOs and officers, "
           "usually more: refresher training and one or two exercises."),
        _l("With your unit, at its garrison and on training grounds in Belgium and abroad."),
        _l("Lower readiness than an active unit: you are called up with notice."),
        _l("Before a deployment your unit goes through a reconditioning period of several "
           "weeks to bring everyone back to the level needed."),
    ),
    PillarFacts(
        Pillar.TERRITORIAL,
        _l("You help defend the territory: guarding vital infrastructure, supporting "
           "other units on Belgian soil, and aid to the nation in floods or other crises."),
        _l("At least %(soldier)d days a year for soldiers, %(cadre)d for NCOs and officers."),
        _l("Close to home: in your own province."),
        _l("Called up at short notice in a crisis in your region."),
        None,
    ),
)


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


# Why a recruiter may refuse an application to the Reserve: code -> the sentence the
# reservist reads in the letter (in each of its languages), and the rule it applies.
REJECTION_REASONS = {
    "skills": _l("The skills and experience you gave do not match what the units of your "
                 "pillar need."),
    "places": _l("The units of your pillar have no free place for the period you asked for."),
    "eligibility": _l("Your application does not meet the conditions for the Reserve (age, "
                      "nationality or residence)."),
    "medical": _l("The medical examination found you unfit for service in the Reserve at "
                  "this time."),
    "incomplete": _l("Your application was incomplete, or your proofs could not be "
                     "verified."),
}
REJECTION_GROUNDS = {
    "skills": _l("the profiles each pillar of the Reserve recruits, as its units set them"),
    "places": _l("the number of places each unit of the Reserve has"),
    "eligibility": _l("the conditions of admission to the Reserve: age, nationality and "
                      "residence"),
    "medical": _l("the medical fitness standards for military service"),
    "incomplete": _l("the conditions of admission to the Reserve: a complete application "
                     "whose proofs can be verified"),
}
# Reasons the portal records itself on an engagement's move, and the words shown.
SYSTEM_REASONS = {
    "start date reached": _l("The start date came"),
    "commitment period over": _l("The commitment period is over"),
}


def reason_text(reason: str) -> str:
    """A recorded reason in the reader's words (the portal's own reasons and a refusal's
    reason by their label); what a person typed stays as typed."""
    if reason in SYSTEM_REASONS:
        return str(SYSTEM_REASONS[reason])
    return str(REJECTION_REASONS[reason]) if reason in REJECTION_REASONS else reason
