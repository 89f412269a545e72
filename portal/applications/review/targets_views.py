"""The targets page and its CSV export (routes added to the review blueprint)."""
from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_login import current_user

from portal import audit
from portal.applications.review import targets
from portal.extensions import db
from portal.reserve import vocab as reserve_vocab
from portal.security import STAFF, role_required


@role_required(*STAFF)
def targets_page():
    board = targets.build()
    return render_template("applications/review/targets.html", board=board,
                           stages=targets.YEAR_STAGES,
                           pillar_labels=reserve_vocab.PILLAR_LABELS)


@role_required(*STAFF)
def targets_csv():
    body = targets.to_csv(targets.build())
    audit.record(current_user, "targets.exported", None)
    db.session.commit()
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="targets.csv"'})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/targets", view_func=targets_page)
    bp.add_url_rule("/targets.csv", view_func=targets_csv)
