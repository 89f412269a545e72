"""Where each role lands after login, the tasks listed on the staff start page, and the
one thing a user must do first.

All are filled at start-up from what the domains declare (portal.domains):
set_landing(app, role, endpoint) points a role at a domain's page, add_staff_task(app,
StaffTask(...)) lists a task (it shows only when its endpoint exists and the user's role
fits), by `order`; add_first_task(app, find) names a question with a deadline the user
must answer before anything else (find(user) returns a FirstTask or None): until it is
answered, login lands on it, the menu leads with it and every page shows it at the top.
Part of the platform, not of a domain, so that every domain can add to it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, url_for
from sqlalchemy.exc import SQLAlchemyError

from portal.security import Role

LANDING_EXTENSION = "portal.landing"
TASKS_EXTENSION = "portal.staff_tasks"
FIRST_EXTENSION = "portal.first_tasks"

# Role -> endpoint of its start page, until a domain points the role elsewhere.
DEFAULT_LANDING: dict[str, str] = {
    Role.CITIZEN: "accounts.account",
    Role.RECRUITER: "staff.home",
    Role.ADMIN: "staff.home",
    Role.EMPLOYER: "accounts.account",
    # Until the applications domain points it at the medical tests' queue.
    Role.MEDICAL_STAFF: "accounts.account",
    Role.SECURITY_OFFICER: "accounts.account",
}


@dataclass(frozen=True)
class StaffTask:
    endpoint: str
    label: object  # a lazy string
    description: object
    roles: tuple[str, ...]
    order: int = 100


@dataclass(frozen=True)
class FirstTask:
    """What a user must do before anything else: the page that does it (`endpoint`), the
    button's words (`label`), one sentence with its deadline (`text`), the menu's entry
    (`menu`) and the pages that show the question themselves (`shown_on`: no banner)."""
    endpoint: str
    label: str
    text: str
    menu: str
    shown_on: tuple[str, ...] = ()

    def banner_on(self, endpoint: str | None) -> bool:
        return endpoint != self.endpoint and endpoint not in self.shown_on


def set_landing(app, role: Role | str, endpoint: str) -> None:
    """After login, users of `role` land on `endpoint`."""
    app.extensions.setdefault(LANDING_EXTENSION, dict(DEFAULT_LANDING))[str(role)] = endpoint


def add_staff_task(app, task: StaffTask) -> None:
    app.extensions.setdefault(TASKS_EXTENSION, []).append(task)


def add_first_task(app, find: Callable[[object], FirstTask | None]) -> None:
    """`find(user)` returns the FirstTask the user has to do now, or None."""
    app.extensions.setdefault(FIRST_EXTENSION, []).append(find)


def first_task(user) -> FirstTask | None:
    """The first open task of `user` among those the domains declared (once per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cache = g.setdefault("_first_tasks", {})
    if user.id not in cache:
        found = None
        try:
            for find in current_app.extensions.get(FIRST_EXTENSION, []):
                task = find(user)
                if task is not None and task.endpoint in current_app.view_functions:
                    found = task
                    break
        except SQLAlchemyError:  # an error page while the database is away shows no task
            found = None
        cache[user.id] = found
    return cache[user.id]


def forget_first_tasks() -> None:
    """At the start of each request: the answer may have changed since the last one."""
    g.pop("_first_tasks", None)


def landing_url(user) -> str:
    task = first_task(user)
    if task is not None:
        return url_for(task.endpoint)
    landing = current_app.extensions.get(LANDING_EXTENSION, DEFAULT_LANDING)
    endpoint = landing.get(user.role, "accounts.account")
    if endpoint not in current_app.view_functions:
        endpoint = "accounts.account"
    return url_for(endpoint)


def tasks_for(user) -> list[StaffTask]:
    tasks = sorted(current_app.extensions.get(TASKS_EXTENSION, []), key=lambda t: t.order)
    return [t for t in tasks
            if user.role in t.roles and t.endpoint in current_app.view_functions]
