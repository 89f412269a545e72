"""The intake dashboard page and its CSV export (routes added to the review blueprint)."""
from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit
from portal.applications import appeals, background, conversation
from portal.applications.models import Intake
from portal.applications.review import dashboard, disclosure
from portal.extensions import db
from portal.security import STAFF, role_required


@role_required(*STAFF)
def intake_dashboard(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    board = disclosure.suppress(dashboard.build(intake))
    return render_template("applications/review/dashboard.html", intake=intake, board=board,
                           min_cell=disclosure.threshold(),
                           # a plain string, so that the page escapes its "<"
                           hidden_label=str(_("< %(num)d", num=disclosure.threshold())),
                           sexes=dashboard.SEXES,
                           first_generation_labels=background.LABELS,
                           age_labels=dashboard.age_labels(intake),
                           dimensions=dashboard.DIMENSIONS, stage_labels=dashboard.STAGES,
                           headings=dashboard.HEADINGS, chart_titles=dashboard.CHART_TITLES,
                           waiting_reviews=appeals.waiting_count(intake.id),
                           waiting_messages=conversation.waiting_count(intake.id))


@role_required(*STAFF)
def dashboard_csv(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    body = dashboard.to_csv(disclosure.suppress(dashboard.build(intake)),
                            disclosure.threshold())
    audit.record(current_user, "dashboard.exported", intake)
    db.session.commit()
    filename = f"intake-{intake.id}-funnel.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/intakes/<int:intake_id>/dashboard", view_func=intake_dashboard)
    bp.add_url_rule("/intakes/<int:intake_id>/dashboard.csv", view_func=dashboard_csv)
