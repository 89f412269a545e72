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

from portal.domains import Domain
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
from portal.navigation import StaffTask
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
    # How often a reservist may make the portal write to HR contacts.
    "EMPLOYER_CONTACT_LIMIT": ("EMPLOYER_CONTACT_LIMIT", "10 per hour"),
    # The same per account and day, from any address.
    "EMPLOYER_CONTACT_DAILY_LIMIT": ("EMPLOYER_CONTACT_DAILY_LIMIT", "20 per day"),
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


def _money(n) -> str:
    return format_decimal(n, format="#,##0.00") if n is not None else ""


def _setup(app) -> None:
    """EMPLOYER_PERIOD_SOURCE ("module:factory") names where training periods and
    attendance come from (spawned letter workers build the same app, hence the same
    source); by default the reserve's training calendar."""
    source = (app.config.get("EMPLOYER_PERIOD_SOURCE")
              or os.environ.get("EMPLOYER_PERIOD_SOURCE")
              or "portal.employers.reserve_calendar:ReserveCalendar")
    module_name, _, factory = source.partition(":")
    periods.use_source(getattr(import_module(module_name), factory)())


DOMAIN = Domain(
    "employers",
    settings=SETTINGS,
    blueprints=(reservist_views.bp, hr_views.bp, planning_views.bp, payment_views.bp,
                feed_views.bp, admin_views.bp, units_views.bp),
    cli=(cli.employers,),
    privacy_parts=(privacy.PART, privacy.HR_PART),
    signals=(*effects.SUBSCRIPTIONS, *periods.SUBSCRIPTIONS, *reserve_calendar.SUBSCRIPTIONS),
    demo_seeds=((50, demo.seed_employer),),
    staff_tasks=(
        StaffTask(
            "employers_units.answers", _l("Employers' answers"),
            _l("What the employers answered about the training periods of your units."),
            (Role.UNIT_STAFF, Role.ADMIN), order=27),
        StaffTask(
            "employers_admin.join_requests", _l("First HR administrators"),
            _l("People asking for access to an enterprise that has no HR administrator yet: "
               "check with the enterprise, then decide."), (Role.ADMIN,), order=61),
        StaffTask(
            "employers_admin.statement_reviews_queue", _l("Contested compensation statements"),
            _l("Enterprises and reservists who contest a yearly compensation statement; "
               "answered by someone who did not issue it."), (Role.ADMIN,), order=62),
        StaffTask(
            "employers_admin.public_list", _l("Public employers"),
            _l("Authorities and public bodies that grant reservists leave by law: notified "
               "instead of signing an agreement."), (Role.ADMIN,), order=63),
        StaffTask(
            "employers_admin.sectors", _l("Sector agreements"),
            _l("Default terms of employer agreements per sector; every employer agreement."),
            (Role.ADMIN,), order=60),
    ),
    landings={Role.EMPLOYER: "employers_hr.home"},
    template_globals={
        "statement_answer_letter": statement_reviews.answer_letter,
        "planning_months": planning.MONTHS_AHEAD,
        "euros": terms.euros,
        "work_percent_range": payments.WORK_PERCENT_RANGE,
        "format_iban": statements.format_iban,
    },
    template_filters={"money": _money},
    letter_kinds=LETTER_KINDS,
    run_sources=(statements.SOURCE,),
    setup=_setup,
)
