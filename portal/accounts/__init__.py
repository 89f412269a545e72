"""Accounts of every role: sign-up, login, reset, the account page, staff accounts.

The base domain: it imports no other domain; the others point at its users.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import demo as demo_seeds
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
from portal.extensions import login_manager
from portal.navigation import StaffTask, add_staff_task
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


def init_app(app) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(second_factor_views.bp)
    app.register_blueprint(reauth.bp)
    app.register_blueprint(staff_views.bp)
    expiry.init_app(app)
    cli.register(app)
    demo_seeds.add_seed(app, demo.seed_users, order=10)
    for task in ACCOUNT_TASKS:
        add_staff_task(app, task)
    _init_login()
    accounts_privacy.init_app(app)  # its share of export, erasure and retention


def _init_login() -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_key: str):
        return sessions.load(session_key)
