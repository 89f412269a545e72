"""Where each role lands after login, and the tasks listed on the staff start page.

Both are filled by the domains at start-up, in their init_app: set_landing(app, role,
endpoint) points a role at a domain's page, add_staff_task(app, StaffTask(...)) lists a
task (it shows only when its endpoint exists and the user's role fits), by `order`.
Part of the platform, not of a domain, so that every domain can add to it.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for

from portal.security import Role

LANDING_EXTENSION = "portal.landing"
TASKS_EXTENSION = "portal.staff_tasks"

# Role -> endpoint of its start page, until a domain points the role elsewhere.
DEFAULT_LANDING: dict[str, str] = {
    Role.CITIZEN: "accounts.account",
    Role.RECRUITER: "staff.home",
    Role.ADMIN: "staff.home",
    Role.EMPLOYER: "accounts.account",
    # Until the applications domain points it at the medical tests' queue.
    Role.MEDICAL_STAFF: "accounts.account",
}


@dataclass(frozen=True)
class StaffTask:
    endpoint: str
    label: object  # a lazy string
    description: object
    roles: tuple[str, ...]
    order: int = 100


def set_landing(app, role: Role | str, endpoint: str) -> None:
    """After login, users of `role` land on `endpoint`."""
    app.extensions.setdefault(LANDING_EXTENSION, dict(DEFAULT_LANDING))[str(role)] = endpoint


def add_staff_task(app, task: StaffTask) -> None:
    app.extensions.setdefault(TASKS_EXTENSION, []).append(task)


def landing_url(user) -> str:
    landing = current_app.extensions.get(LANDING_EXTENSION, DEFAULT_LANDING)
    endpoint = landing.get(user.role, "accounts.account")
    if endpoint not in current_app.view_functions:
        endpoint = "accounts.account"
    return url_for(endpoint)


def tasks_for(user) -> list[StaffTask]:
    tasks = sorted(current_app.extensions.get(TASKS_EXTENSION, []), key=lambda t: t.order)
    return [t for t in tasks
            if user.role in t.roles and t.endpoint in current_app.view_functions]
