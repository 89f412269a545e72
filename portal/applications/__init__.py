"""The service year's intakes, information sessions, applications and their review."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import demo as demo_seeds
from portal.accounts.landing import StaffTask, add_staff_task, set_landing
from portal.applications import (  # noqa: F401 (the model modules: their tables)
    candidate_views,
    demo_seed,
    effects,
    intake_views,
    models,
    review_cli,
    review_demo,
    review_models,
    review_views,
    session_models,
)
from portal.security import Role


def init_app(app) -> None:
    app.register_blueprint(intake_views.bp)
    app.register_blueprint(candidate_views.bp)
    app.register_blueprint(review_views.bp)
    review_cli.register(app)
    effects.connect()
    demo_seeds.add_seed(app, demo_seed.seed_intake, order=20)
    demo_seeds.add_seed(app, review_demo.seed_applications, order=40)
    set_landing(app, Role.CITIZEN, "applications.mine")
    add_staff_task(app, StaffTask(
        "review.intakes", _l("Review applications"),
        _l("The queue of each intake: screening, tests, decisions within the quota."),
        (Role.RECRUITER, Role.ADMIN), order=10))
    add_staff_task(app, StaffTask(
        "intakes.index", _l("Intakes"),
        _l("Create and edit intakes, their quotas, windows and information sessions."),
        (Role.ADMIN,), order=20))
