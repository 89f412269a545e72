"""Administrator pages: cohorts, register imports with their row-by-row report, counts."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock, paging, refusals, regions
from portal.extensions import db
from portal.i18n import LANGUAGE_LABELS
from portal.invitations import importer, services
from portal.invitations import letters as invitation_letters
from portal.invitations.forms import CohortForm, ImportForm, ReprintForm
from portal.invitations.models import Cohort, CohortImport
from portal.refusals import Refusal
from portal.security import Role, role_required

bp = Blueprint("cohorts", __name__, url_prefix="/admin/cohorts")

# Rows of a report shown on the page; all of them are in the CSV download.


def _cohort(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


def _render_index(form: CohortForm, status: int = 200):
    cohorts = db.session.scalars(db.select(Cohort).order_by(Cohort.born_from.desc())).all()
    return render_template("cohorts/index.html", cohorts=cohorts, form=form), status


@bp.get("")
@role_required(Role.ADMIN)
def index():
    return _render_index(CohortForm())


@bp.post("")
@role_required(Role.ADMIN)
def create():
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(form.name.data, form.born_from.data,
                                            form.born_to.data, form.expires_on.data,
                                            current_user)
        except services.CohortError as exc:
            db.session.rollback()
            if exc.reason != "name_taken":
                raise
            form.name.errors.append(_("A cohort with this name already exists."))
        else:
            db.session.commit()
            flash(_("Cohort %(name)s created.", name=cohort.name), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return _render_index(form, 400)


def _render_show(cohort: Cohort, form: ImportForm, status: int = 200,
                 reprint_form: ReprintForm | None = None):
    return render_template(
        "cohorts/show.html", cohort=cohort, form=form, counts=services.cohort_counts(cohort),
        ages=cohort.ages_in(clock.today().year),
        region_labels=regions.REGION_LABELS, language_labels=LANGUAGE_LABELS,
        reprint_form=reprint_form or ReprintForm(formdata=None),
        reminders=invitation_letters.reminder_counts(cohort),
    ), status


@bp.get("/<int:cohort_id>")
@role_required(Role.ADMIN)
def show(cohort_id: int):
    return _render_show(_cohort(cohort_id), ImportForm())


@bp.post("/<int:cohort_id>/imports")
@role_required(Role.ADMIN)
def upload(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_show(cohort, form, 400)
    upload_file = form.file.data
    try:
        record = importer.import_csv(cohort, upload_file.stream, current_user,
                                     filename=upload_file.filename or "")
    except importer.ImportFileError as exc:
        db.session.rollback()
        form.file.errors.append(str(importer.FILE_ERRORS[exc.reason]))
        return _render_show(cohort, form, 400)
    db.session.commit()
    return redirect(url_for("cohorts.import_report", cohort_id=cohort.id, import_id=record.id))


@bp.post("/<int:cohort_id>/reprints")
@role_required(Role.ADMIN)
def reprint(cohort_id: int):
    """One person's invitation letter again: a new code, the old one revoked, audited."""
    cohort = _cohort(cohort_id)
    form = ReprintForm()
    if form.validate_on_submit():
        person = invitation_letters.person_of_reference(form.reference.data)
        try:
            if person is None or person.cohort_id != cohort.id:
                raise Refusal(_("No invitation letter of this cohort has this reference."),
                              field="reference")
            letter = invitation_letters.reprint(person, current_user, form.reason.data)
        except Refusal as refusal:
            refusals.show(refusal, form, fields={None: "reference"})
        else:
            db.session.commit()
            flash(_("Letter %(new)s replaces %(old)s; the old code no longer works.",
                    new=letter.reference, old=form.reference.data.strip().upper()), "success")
            return redirect(url_for("letters.download", public_id=letter.public_id))
    return _render_show(cohort, ImportForm(formdata=None), 400, reprint_form=form)


def _import(cohort_id: int, import_id: int) -> CohortImport:
    record = db.session.get(CohortImport, import_id)
    if record is None or record.cohort_id != cohort_id:
        abort(404)
    return record


@bp.get("/<int:cohort_id>/imports/<int:import_id>")
@role_required(Role.ADMIN)
def import_report(cohort_id: int, import_id: int):
    record = _import(cohort_id, import_id)
    page = paging.numbered(importer.kept_in_file_order(record), request.args,
                           current_app.config["STAFF_LIST_PAGE_SIZE"])
    return render_template(
        "cohorts/import_report.html", cohort=record.cohort, record=record, page=page,
        errors=[importer.row_error(e) for e in page.rows], not_kept=record.problems - page.total,
        field_label=importer.field_label, reason_text=importer.reason_text,
    )


@bp.get("/<int:cohort_id>/imports/<int:import_id>/rejected-rows.csv")
@role_required(Role.ADMIN)
def rejected_rows(cohort_id: int, import_id: int):
    record = _import(cohort_id, import_id)
    return Response(
        stream_with_context(importer.errors_csv(record)), mimetype="text/csv",
        headers={"Content-Disposition":
                 f'attachment; filename="import-{record.id}-rejected-rows.csv"'},
    )
