"""Security screening pages: the recruiter's request (from the application's page), and the
security officers' room: the open screenings, one screening with its outcome, the second
officer's confirmation, the list of requests for the vetting authority as CSV."""
from __future__ import annotations

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal import refusals
from portal.accounts.models import User
from portal.applications.models import Application, Status
from portal.applications.review.forms import VersionForm
from portal.applications.vetting import services
from portal.applications.vetting.forms import ButtonForm, OutcomeForm
from portal.applications.vocab import SECURITY_STATE_LABELS, STATUS_LABELS
from portal.extensions import db
from portal.paging import asked_page
from portal.refusals import Refusal
from portal.security import STAFF, Role, role_required

bp = Blueprint("vetting", __name__)
# The room lists this many open screenings; the CSV holds every pending request.


# --- the recruiter's request ----------------------------------------------------------------

@bp.post("/review/applications/<int:application_id>/security-screening")
@role_required(*STAFF)
def request_screening(application_id: int):
    application = db.session.get(Application, application_id)
    if application is None or application.status == Status.DRAFT:
        abort(404)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.request(application, current_user, form.seen_version())
    except Refusal as error:
        refusals.show(error, section="security")
        return redirect(url_for("review.application", application_id=application_id,
                                _anchor="security-refusal"))
    db.session.commit()
    flash(_("Security screening requested from the vetting authority."), "success")
    return redirect(url_for("review.application", application_id=application_id,
                            _anchor="security-title"))


# --- the security officers' room --------------------------------------------------------------

@bp.get("/security-screening/")
@role_required(Role.SECURITY_OFFICER)
def queue():
    f = services.QueueFilters(page=asked_page(request.args))
    page = services.queue(current_user, f, current_app.config["REVIEW_QUEUE_PAGE_SIZE"])
    return render_template("applications/vetting/queue.html", page=page, rows=page.rows,
                           total=page.total, state_labels=SECURITY_STATE_LABELS)


@bp.get("/security-screening/requests.csv")
@role_required(Role.SECURITY_OFFICER)
def requests_csv():
    requests = services.pending_requests(current_user)
    db.session.commit()  # the export's audit
    out = io.StringIO()
    csv.writer(out).writerows(services.as_csv_rows(requests))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="security-screening-requests.csv"',
        "Cache-Control": "no-store"})


def _screening_or_404(screening_id: int):
    screening = services.screening_for(current_user, screening_id)
    if screening is None:
        abort(404)
    return screening


@bp.get("/security-screening/<int:screening_id>")
@role_required(Role.SECURITY_OFFICER)
def screening(screening_id: int):
    return _render(_screening_or_404(screening_id), OutcomeForm(formdata=None))


def _render(screening, form, status: int = 200):
    services.read(current_user, screening)
    db.session.commit()  # the audit of the reading
    people = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(
        [i for i in (screening.requested_by_id, screening.recorded_by_id,
                     screening.confirmed_by_id) if i is not None])))}
    return render_template(
        "applications/vetting/screening.html", screening=screening,
        application=screening.application, form=form, people=people,
        state_labels=SECURITY_STATE_LABELS, status_labels=STATUS_LABELS,
        retention_days=current_app.config["RETENTION_DAYS"]["security_screenings"]), status


def _back(screening_id: int):
    return redirect(url_for("vetting.screening", screening_id=screening_id))


@bp.post("/security-screening/<int:screening_id>/outcome")
@role_required(Role.SECURITY_OFFICER)
def record(screening_id: int):
    screening = _screening_or_404(screening_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _render(screening, form, 400)
    try:
        services.record_outcome(screening, form.outcome.data, form.note.data or "",
                                current_user)
    except Refusal as error:
        refusals.show(error, form)
        if error.field in form:
            return _render(screening, form, 400)
        return _back(screening_id)
    db.session.commit()
    if screening.outcome is None:
        flash(_("Unfavourable outcome recorded. A second security officer must confirm it."),
              "success")
    else:
        flash(_("Outcome of the security screening recorded."), "success")
    return _back(screening_id)


@bp.post("/security-screening/<int:screening_id>/confirm")
@role_required(Role.SECURITY_OFFICER)
def confirm(screening_id: int):
    return _button(screening_id, services.confirm_unfavourable,
                   _("Unfavourable outcome confirmed: the application is refused and the "
                     "candidate gets the decision letter."))


@bp.post("/security-screening/<int:screening_id>/send-back")
@role_required(Role.SECURITY_OFFICER)
def send_back(screening_id: int):
    return _button(screening_id, services.send_back,
                   _("The unfavourable outcome was not confirmed: record the outcome again."))


def _button(screening_id: int, service, message: str):
    screening = _screening_or_404(screening_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        service(screening, current_user)
    except Refusal as error:
        refusals.show(error)
        return _back(screening_id)
    db.session.commit()
    flash(message, "success")
    return _back(screening_id)
