"""Medical staff's pages: the queue, one application's health answers, the medical test."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import refusals
from portal.applications.medical import queue as medical_queue
from portal.applications.medical import services
from portal.applications.medical.forms import MedicalForm
from portal.applications.vocab import MEDICAL_STATUS_LABELS, STATUS_LABELS
from portal.extensions import db
from portal.refusals import Refusal
from portal.security import Role, role_required

bp = Blueprint("medical", __name__, url_prefix="/medical")


@bp.get("/")
@role_required(Role.MEDICAL_STAFF)
def queue():
    filters = medical_queue.Filters.from_args(request.args)
    page = services.queue(current_user, filters, current_app.config["MEDICAL_QUEUE_PAGE_SIZE"])
    return render_template("applications/medical/queue.html", page=page, filters=filters,
                           intakes=medical_queue.intakes(),
                           medical_status_labels=MEDICAL_STATUS_LABELS)


def _queue_args() -> dict:
    """The queue page and filters the reader came from, read again through the queue's own
    validation: they only build the links back to the queue and between the forms here."""
    return medical_queue.Filters.from_args(request.args).args()


def _application_or_404(application_id: int):
    application = services.application_for(current_user, application_id)
    if application is None:
        abort(404)
    return application


@bp.get("/applications/<int:application_id>")
@role_required(Role.MEDICAL_STAFF)
def application(application_id: int):
    app_ = _application_or_404(application_id)
    return _render(app_, MedicalForm(formdata=None, version=app_.version))


def _render(app_, form, status: int = 200):
    rows = services.read_health_answers(current_user, app_)
    result, reason = services.medical_result(current_user, app_)
    db.session.commit()  # the audit of the reading, with or without a recording after it
    return render_template(
        "applications/medical/application.html", application=app_, rows=rows, form=form,
        result=result, reason=reason, retention=services.retention(current_user, app_),
        status_labels=STATUS_LABELS, queue_args=_queue_args(),
        medical_status_labels=MEDICAL_STATUS_LABELS), status


@bp.post("/applications/<int:application_id>/medical-test")
@role_required(Role.MEDICAL_STAFF)
def record(application_id: int):
    app_ = _application_or_404(application_id)
    form = MedicalForm()
    if not form.validate_on_submit():
        return _render(app_, form, 400)
    try:
        services.record_medical(app_, form.outcome.data == "fit", form.reason.data or "",
                                current_user, form.seen_version())
    except Refusal as error:
        refusals.show(error, form)
        if error.field in form:
            return _render(app_, form, 400)
        return redirect(url_for("medical.application", application_id=app_.id,
                                **_queue_args()))
    db.session.commit()
    flash(_("Medical test recorded."), "success")
    return redirect(url_for("medical.application", application_id=app_.id, **_queue_args()))
