"""The service year's applications, in three rooms around a shared core.

Core: models (intakes, applications, their history and selection records), workflow
(the life cycle: a table and transition()), signals (application_moved), effects (what
follows a move: letters, waitlist ranks, freed places), quotas, waitlist, selection,
vocab (every label and reason), questions and answers (the application form and the
answers in words), correspondence (the letters of the life cycle).
Rooms: candidate/ (apply, follow, answer an offer), review/ (the recruiter's queue,
actions, dashboard, CLI), medical/ (medical staff: health answers and the medical test),
vetting/ (the security screening: recruiters request it, security officers record it),
intakes/ (intakes, information sessions and selection days, and booking a place in them).
Health answers are encrypted at rest (health.py).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.applications import (  # noqa: F401 (models, identity_clashes: their tables)
    adjustments,
    background,
    effects,
    identity_clashes,
    interest,
    models,
)
from portal.applications import privacy as applications_privacy
from portal.applications.candidate import aftercare
from portal.applications.candidate import views as candidate_views
from portal.applications.intakes import demo as intake_demo
from portal.applications.intakes import models as intake_models  # noqa: F401 (their tables)
from portal.applications.intakes import views as intake_views
from portal.applications.medical import cli as medical_cli
from portal.applications.medical import views as medical_views
from portal.applications.review import cli as review_cli
from portal.applications.review import demo as review_demo
from portal.applications.review import inbox_views
from portal.applications.review import views as review_views
from portal.applications.signals import application_moved
from portal.applications.vetting import cli as vetting_cli
from portal.applications.vetting import models as vetting_models  # noqa: F401 (its table)
from portal.applications.vetting import services as vetting_services
from portal.applications.vetting import views as vetting_views
from portal.domains import Domain
from portal.letters import kinds as letter_kinds
from portal.navigation import StaffTask
from portal.security import Role

# The letters this domain sends (their templates in templates/letters/).
LETTER_KINDS = (
    letter_kinds.Kind.of(
        __file__, "acknowledgement",
        _l("Acknowledgement of your application — Service Year"),
        prefix="ACK"),
    letter_kinds.Kind.of(
        __file__, "convocation",
        _l("Convocation to the selection tests — Service Year"),
        prefix="CNV"),
    letter_kinds.Kind.of(
        __file__, "decision",
        _l("Decision on your application — Service Year"),
        prefix="DEC"),
    letter_kinds.Kind.of(
        __file__, "review_answer",
        _l("Answer to your request for a review — Service Year"),
        prefix="REV"),
)


DOMAIN = Domain(
    "applications",
    blueprints=(
        intake_views.bp,
        candidate_views.bp,
        interest.bp,  # the interest questionnaire
        background.bp,  # the optional question about background
        adjustments.bp,  # adjustments asked for the selection day
        review_views.bp,
        medical_views.bp,
        vetting_views.bp,
    ),
    cli=(review_cli.applications, medical_cli.privacy, vetting_cli.applications),
    privacy_parts=(applications_privacy.PART,),  # its share of export, erasure and retention
    signals=(
        *effects.SUBSCRIPTIONS,
        # An application that ends withdraws its running security screening.
        (application_moved, vetting_services.on_application_moved),
    ),
    demo_seeds=((20, intake_demo.seed_intake), (40, review_demo.seed_applications)),
    staff_tasks=(
        StaffTask(
            "review.intakes", _l("Review applications"),
            _l("The queue of each intake: screening, tests, decisions within the quota."),
            (Role.RECRUITER, Role.ADMIN), order=10),
        StaffTask(
            "review.review_requests", _l("Requests for a review"),
            _l("Candidates who contest a decision; answered by someone who did not take it."),
            (Role.RECRUITER, Role.ADMIN), order=11),
        StaffTask(
            "review.messages", _l("Messages from candidates"),
            _l("Questions sent from the page of an application, waiting for an answer."),
            (Role.RECRUITER, Role.ADMIN), order=12),
        StaffTask(
            "review.targets_page", _l("Targets"),
            _l("The policy note's targets against the records: selected, started, Reserve."),
            (Role.RECRUITER, Role.ADMIN), order=13),
        StaffTask(
            "intakes.index", _l("Intakes"),
            _l("Create and edit intakes, their quotas, windows and information sessions."),
            (Role.ADMIN,), order=20),
    ),
    landings={
        Role.CITIZEN: "applications.mine",
        Role.MEDICAL_STAFF: "medical.queue",
        Role.SECURITY_OFFICER: "vetting.queue",
    },
    # The review of a decision, shown on the Reserve's engagement pages too.
    template_globals={
        "review_of": aftercare.review_of,
        "review_requests_of": inbox_views.review_requests_of,
    },
    letter_kinds=LETTER_KINDS,
)
