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

from portal import demo as demo_seeds
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
from portal.letters import kinds as letter_kinds
from portal.navigation import StaffTask, add_staff_task, set_landing
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


def init_app(app) -> None:
    app.register_blueprint(intake_views.bp)
    letter_kinds.declare(*LETTER_KINDS)
    app.register_blueprint(candidate_views.bp)
    app.register_blueprint(interest.bp)  # the interest questionnaire
    app.register_blueprint(background.bp)  # the optional question about background
    app.register_blueprint(adjustments.bp)  # adjustments asked for the selection day
    app.register_blueprint(review_views.bp)
    app.register_blueprint(medical_views.bp)
    app.register_blueprint(vetting_views.bp)
    review_cli.register(app)
    medical_cli.register(app)
    vetting_cli.register(app)
    effects.connect()
    # An application that ends withdraws its running security screening.
    application_moved.connect(vetting_services.on_application_moved)
    demo_seeds.add_seed(app, intake_demo.seed_intake, order=20)
    demo_seeds.add_seed(app, review_demo.seed_applications, order=40)
    set_landing(app, Role.CITIZEN, "applications.mine")
    set_landing(app, Role.MEDICAL_STAFF, "medical.queue")
    set_landing(app, Role.SECURITY_OFFICER, "vetting.queue")
    add_staff_task(app, StaffTask(
        "review.intakes", _l("Review applications"),
        _l("The queue of each intake: screening, tests, decisions within the quota."),
        (Role.RECRUITER, Role.ADMIN), order=10))
    add_staff_task(app, StaffTask(
        "review.review_requests", _l("Requests for a review"),
        _l("Candidates who contest a decision; answered by someone who did not take it."),
        (Role.RECRUITER, Role.ADMIN), order=11))
    add_staff_task(app, StaffTask(
        "review.messages", _l("Messages from candidates"),
        _l("Questions sent from the page of an application, waiting for an answer."),
        (Role.RECRUITER, Role.ADMIN), order=12))
    add_staff_task(app, StaffTask(
        "review.targets_page", _l("Targets"),
        _l("The policy note's targets against the records: selected, started, Reserve."),
        (Role.RECRUITER, Role.ADMIN), order=13))
    add_staff_task(app, StaffTask(
        "intakes.index", _l("Intakes"),
        _l("Create and edit intakes, their quotas, windows and information sessions."),
        (Role.ADMIN,), order=20))
    applications_privacy.init_app(app)  # its share of export, erasure and retention
    # The review of a decision, shown on the Reserve's engagement pages too.
    app.jinja_env.globals["review_of"] = aftercare.review_of
    app.jinja_env.globals["review_requests_of"] = inbox_views.review_requests_of
