"""Accounts of every role: sign-up, login, reset, the account page, staff accounts.

The base domain: it imports no other domain; the others point at its users.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import demo as demo_seeds
from portal.accounts import cli, demo, landing, models, staff_views, views
from portal.extensions import db, login_manager


def init_app(app) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(staff_views.bp)
    cli.register(app)
    demo_seeds.add_seed(app, demo.seed_users, order=10)
    for task in landing.ACCOUNT_TASKS:
        landing.add_staff_task(app, task)
    _init_login()


def _init_login() -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_token: str):
        return db.session.scalar(
            db.select(models.User).where(models.User.session_token == session_token))
