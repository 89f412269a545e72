"""The Reserve: end-of-year choice, pillars, engagements, the training year and its feed.

Rooms: `candidate/` (participants, direct applicants and reservists), `staff/`
(recruiters), `units/` (unit staff and the administrators' unit and skill lists), around a
shared core: models, the engagement life cycle (`workflow`), `year_end`, `engagements`,
`training`, `feed`, `proofs`, `letters`. It follows the application life cycle through
`application_moved` and announces its own moves through `reserve.signals`.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.domains import Domain
from portal.letters import kinds as letter_kinds
from portal.navigation import StaffTask
from portal.reserve import (  # noqa: F401 (models: the tables)
    callup_views,
    callups,
    cli,
    demo,
    handlers,
    models,
    privacy,
    year_end,
)
from portal.reserve.candidate import views as candidate_views
from portal.reserve.staff import views as staff_views
from portal.reserve.units import views as units_views
from portal.security import Role

STAFF_TASKS = (
    StaffTask("reserve_staff.queue", _l("Reserve applications"),
              _l("Screen and decide applications to the Reserve; issue engagement letters."),
              (Role.RECRUITER, Role.ADMIN), order=15),
    StaffTask("reserve_staff.careers", _l("Career queue"),
              _l("Participants who chose a career in Defence after their service year."),
              (Role.RECRUITER, Role.ADMIN), order=16),
    StaffTask("reserve_units.my_units", _l("Training year"),
              _l("Plan training periods, assign reservists, record attendance."),
              (Role.UNIT_STAFF, Role.ADMIN), order=25),
    StaffTask("reserve_callups.new", _l("Call-ups"),
              _l("Call up the reservists of chosen units or pillars; see who answered."),
              (Role.RECRUITER, Role.ADMIN), order=27),
    StaffTask("reserve_units.units_admin", _l("Reserve units"),
              _l("Units, their needs and unit staff; the list of needed skills."),
              (Role.ADMIN,), order=26),
)


# The letters this domain sends (their templates in templates/letters/).
LETTER_KINDS = (
    letter_kinds.Kind.of(
        __file__, "reserve",
        _l("Your application to the Reserve — Reserve of Defence"),
        prefix="RES"),
)


DOMAIN = Domain(
    "reserve",
    blueprints=(candidate_views.bp, staff_views.bp, units_views.bp, callup_views.bp),
    cli=(cli.reserve,),
    privacy_parts=(privacy.PART,),
    signals=handlers.SUBSCRIPTIONS,
    demo_seeds=((60, demo.seed_reserve),),
    staff_tasks=STAFF_TASKS,
    landings={Role.UNIT_STAFF: "reserve_units.my_units"},
    first_tasks=(year_end.first_task,),
    letter_kinds=LETTER_KINDS,
)
