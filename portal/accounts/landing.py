"""Where each role lands after login, and the tasks listed on the staff start page.

Other domains extend both: point a role at their page in LANDING, and append their
tasks to STAFF_TASKS (an entry shows only when its endpoint exists and the role fits).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from portal.security import Role

# Role -> endpoint of its start page. A citizen's becomes their application page later.
LANDING: dict[str, str] = {
    Role.CITIZEN: "applications.mine",
    Role.RECRUITER: "staff.home",
    Role.ADMIN: "staff.home",
    Role.EMPLOYER: "accounts.account",
    Role.UNIT_STAFF: "reserve_units.my_units",
}


@dataclass(frozen=True)
class StaffTask:
    endpoint: str
    label: object  # a lazy string
    description: object
    roles: tuple[str, ...]


STAFF_TASKS: list[StaffTask] = [
    StaffTask("review.intakes", _l("Review applications"),
              _l("The queue of each intake: screening, tests, decisions within the quota."),
              (Role.RECRUITER, Role.ADMIN)),
    StaffTask("intakes.index", _l("Intakes"),
              _l("Create and edit intakes, their quotas, windows and information sessions."),
              (Role.ADMIN,)),
    StaffTask("letter_runs.list_runs", _l("Letter runs"),
              _l("Print and archive the invitation letters of a cohort, and follow the runs."),
              (Role.ADMIN,)),
    StaffTask("staff.list_staff", _l("Staff accounts"),
              _l("Create recruiter, administrator and employer accounts; deactivate them."),
              (Role.ADMIN,)),
    StaffTask("cohorts.index", _l("Cohorts"),
              _l("Create cohorts, import National Register extracts, follow sign-ups."),
              (Role.ADMIN,)),
    StaffTask("audit.events", _l("Audit log"),
              _l("Who did what, and who looked at whose personal data."),
              (Role.ADMIN,)),
    StaffTask("accounts.account", _l("My account"),
              _l("Your name, e-mail address, language and password."),
              (Role.RECRUITER, Role.ADMIN)),
]


def landing_url(user) -> str:
    endpoint = LANDING.get(user.role, "accounts.account")
    if endpoint not in current_app.view_functions:
        endpoint = "accounts.account"
    return url_for(endpoint)


def tasks_for(user) -> list[StaffTask]:
    return [t for t in STAFF_TASKS
            if user.role in t.roles and t.endpoint in current_app.view_functions]
