"""Accounts of every role: sign-up, login, reset, the account page, staff accounts.

The base domain: it imports no other domain; the others point at its users.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.accounts import (
    cli,
    demo,
    expiry,
    models,  # noqa: F401 (their tables)
    reauth,
    second_factor_views,
    sessions,
    staff_views,
    views,
)
from portal.accounts import privacy as accounts_privacy
from portal.domains import Domain
from portal.extensions import login_manager
from portal.navigation import StaffTask
from portal.security import Role

# The accounts domain's own tasks.
ACCOUNT_TASKS = (
    StaffTask("staff.list_staff", _l("Staff accounts"),
              _l("Create recruiter, administrator and employer accounts; deactivate them."),
              (Role.ADMIN,), order=40),
    StaffTask("accounts.account", _l("My account"),
              _l("Your name, e-mail address, language and password."),
              (Role.RECRUITER, Role.ADMIN), order=90),
)


def _setup(app) -> None:
    """Flask-Login: where it sends those not signed in, and how it finds their user."""
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.unauthorized_handler(expiry.unauthorized)
    login_manager.user_loader(sessions.load)


DOMAIN = Domain(
    "accounts",
    blueprints=(views.bp, second_factor_views.bp, reauth.bp, staff_views.bp, expiry.bp),
    cli=(cli.users, cli.privacy),
    privacy_parts=(accounts_privacy.PART,),  # its share of export, erasure and retention
    demo_seeds=((10, demo.seed_users),),
    staff_tasks=ACCOUNT_TASKS,
    setup=_setup,
)
