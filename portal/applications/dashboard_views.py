"""The intake dashboard page and its CSV export (routes added to the review blueprint)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from portal import audit
from portal.applications import dashboard
from portal.applications.models import Intake
from portal.extensions import db
from portal.security import STAFF, role_required


def _intake_or_404(intake_id: int) -> Intake:
    return db.session.get(Intake, intake_id) or abort(404)


@role_required(*STAFF)
def intake_dashboard(intake_id: int):
    intake = _intake_or_404(intake_id)
    board = dashboard.build(intake)
    return render_template("applications/review/dashboard.html", intake=intake, board=board,
                           dimensions=dashboard.DIMENSIONS, stage_labels=dashboard.STAGES,
                           headings=dashboard.HEADINGS, chart_titles=dashboard.CHART_TITLES)


@role_required(*STAFF)
def dashboard_csv(intake_id: int):
    intake = _intake_or_404(intake_id)
    body = dashboard.to_csv(dashboard.build(intake))
    audit.record(current_user, "dashboard.exported", intake)
    db.session.commit()
    filename = f"intake-{intake.id}-funnel.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/intakes/<int:intake_id>/dashboard", view_func=intake_dashboard)
    bp.add_url_rule("/intakes/<int:intake_id>/dashboard.csv", view_func=dashboard_csv)
