"""Employers of reservists: enterprises and their HR users, employer agreements and their
life cycle, sector agreements, training periods as the employer answers them, and yearly
compensation statements.

Rooms: `reservist/` (naming an employer), `hr/` (the employer space, reached by an e-mailed
single-use link), `admin/` (sector agreements, every agreement). Shared core: models,
services, workflow (the agreement's life cycle), periods, statements.
"""
from __future__ import annotations

import os
from importlib import import_module

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from portal import demo as demo_seeds
from portal import privacy_registry
from portal.employers import (  # noqa: F401 (models: their tables)
    cli,
    demo,
    effects,
    models,
    payments,
    periods,
    planning,
    privacy,
    reserve_calendar,
    statement_reviews,
    statements,
    terms,
)
from portal.employers.admin import views as admin_views
from portal.employers.hr import feed_views, payment_views, planning_views
from portal.employers.hr import views as hr_views
from portal.employers.reservist import views as reservist_views
from portal.employers.units import views as units_views
from portal.letters import kinds as letter_kinds
from portal.navigation import StaffTask, add_staff_task, set_landing
from portal.security import Role

# Settings of this domain (environment variables), with their defaults.
SETTINGS = {
    # Validity of the single-use link e-mailed to an HR contact, in hours.
    "EMPLOYER_LINK_HOURS": ("EMPLOYER_LINK_HOURS", 168),
    # Terms proposed when no sector agreement covers the employer's joint committee.
    "EMPLOYER_DAYS_PER_YEAR": ("EMPLOYER_DAYS_PER_YEAR", 15),
    "EMPLOYER_NOTICE_DAYS": ("EMPLOYER_NOTICE_DAYS", 60),
    "EMPLOYER_COMPENSATION_CENTS": ("EMPLOYER_COMPENSATION_CENTS", 12000),
    # Days after the end of the year a compensation statement covers in which the enterprise
    # or a reservist on it may ask for its review (Defence's setting, not fixed by law).
    "EMPLOYER_STATEMENT_REVIEW_DAYS": ("EMPLOYER_STATEMENT_REVIEW_DAYS", 90),
    # Days after that period in which Defence pays a statement's compensation into the
    # enterprise's account: the payment date printed on the statement (Defence's setting).
    "EMPLOYER_PAYMENT_DAYS": ("EMPLOYER_PAYMENT_DAYS", 30),
    # Compensation per day served of a self-employed reservist (no employer to compensate),
    # in euro cents: Defence's setting, not in the policy note.
    "SELF_EMPLOYED_COMPENSATION_CENTS": ("SELF_EMPLOYED_COMPENSATION_CENTS", 12000),
}


# The letters this domain sends (their templates in templates/letters/).
LETTER_KINDS = (
    letter_kinds.Kind.of(
        __file__, "agreement",
        _l("Employer agreement — Reserve of Defence"),
        prefix="AGR", audience=letter_kinds.ENTERPRISE),
    letter_kinds.Kind.of(
        __file__, "statement",
        _l("Compensation statement — Reserve of Defence"),
        audience=letter_kinds.ENTERPRISE),
    letter_kinds.Kind.of(
        __file__, "statement_review_answer",
        _l("Answer on a compensation statement — Reserve of Defence")),
    letter_kinds.Kind.of(
        __file__, "leave_statement",
        _l("Compensatory leave statement — Reserve of Defence"),
        audience=letter_kinds.ENTERPRISE),
    letter_kinds.Kind.of(
        __file__, "self_statement",
        _l("Your compensation as a self-employed reservist — Reserve of Defence")),
)


def init_app(app) -> None:
    """Register the employers domain: settings, blueprints, CLI, demo seed, signal handlers."""
    letter_kinds.declare(*LETTER_KINDS)
    for key, (env, default) in SETTINGS.items():
        app.config.setdefault(key, int(os.environ.get(env, default)))
    # EMPLOYER_CONTACT_LIMIT: how often a reservist may make the portal write to HR contacts.
    app.config.setdefault("EMPLOYER_CONTACT_LIMIT",
                          os.environ.get("EMPLOYER_CONTACT_LIMIT", "10 per hour"))
    # EMPLOYER_CONTACT_DAILY_LIMIT: the same per account and day, from any address.
    app.config.setdefault("EMPLOYER_CONTACT_DAILY_LIMIT",
                          os.environ.get("EMPLOYER_CONTACT_DAILY_LIMIT", "20 per day"))

    app.jinja_env.globals["statement_answer_letter"] = statement_reviews.answer_letter
    app.jinja_env.globals["planning_months"] = planning.MONTHS_AHEAD
    app.jinja_env.globals["euros"] = terms.euros
    app.jinja_env.globals["work_percent_range"] = payments.WORK_PERCENT_RANGE
    app.jinja_env.globals["format_iban"] = statements.format_iban
    app.jinja_env.filters["money"] = (
        lambda n: format_decimal(n, format="#,##0.00") if n is not None else "")
    for module in (reservist_views, hr_views, planning_views, payment_views, feed_views,
                   admin_views):
        app.register_blueprint(module.bp)
    app.cli.add_command(cli.employers)
    effects.connect()
    privacy_registry.contribute(app, privacy.PART)
    privacy_registry.contribute(app, privacy.HR_PART)
    periods.connect()
    # EMPLOYER_PERIOD_SOURCE ("module:factory") names where training periods and attendance
    # come from (spawned letter workers build the same app, hence the same source); by
    # default the reserve's training calendar.
    source = app.config.get("EMPLOYER_PERIOD_SOURCE") or os.environ.get(
        "EMPLOYER_PERIOD_SOURCE")
    reserve_calendar.connect()
    app.register_blueprint(units_views.bp)
    add_staff_task(app, StaffTask(
        "employers_units.answers", _l("Employers' answers"),
        _l("What the employers answered about the training periods of your units."),
        (Role.UNIT_STAFF, Role.ADMIN), order=27))
    source = source or "portal.employers.reserve_calendar:ReserveCalendar"
    module_name, _, factory = source.partition(":")
    periods.use_source(getattr(import_module(module_name), factory)())
    demo_seeds.add_seed(app, demo.seed_employer, order=50)
    set_landing(app, Role.EMPLOYER, "employers_hr.home")
    add_staff_task(app, StaffTask(
        "employers_admin.join_requests", _l("First HR administrators"),
        _l("People asking for access to an enterprise that has no HR administrator yet: "
           "check with the enterprise, then decide."), (Role.ADMIN,), order=61))
    add_staff_task(app, StaffTask(
        "employers_admin.statement_reviews_queue", _l("Contested compensation statements"),
        _l("Enterprises and reservists who contest a yearly compensation statement; answered "
           "by someone who did not issue it."), (Role.ADMIN,), order=62))
    add_staff_task(app, StaffTask(
        "employers_admin.public_list", _l("Public employers"),
        _l("Authorities and public bodies that grant reservists leave by law: notified "
           "instead of signing an agreement."), (Role.ADMIN,), order=63))
    add_staff_task(app, StaffTask(
        "employers_admin.sectors", _l("Sector agreements"),
        _l("Default terms of employer agreements per sector; every employer agreement."),
        (Role.ADMIN,), order=60))
