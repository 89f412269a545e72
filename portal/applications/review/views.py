"""Recruiter pages: intakes, the queue, one application and the actions on it."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from wtforms import SelectChoice

from portal import audit, refusals
from portal.accounts.models import User
from portal.applications import (
    adjustments,
    answers,
    correspondence,
    identity_clashes,
    quotas,
    selection,
    service_start,
)
from portal.applications.intakes import services as intake_services
from portal.applications.intakes.models import SelectionDay
from portal.applications.models import (
    Application,
    ApplicationEvent,
    Component,
    Decision,
    Intake,
    ResultKind,
    Status,
)
from portal.applications.review import dashboard_views, inbox_views, targets_views
from portal.applications.review import queue as review_queue
from portal.applications.review import services as review_services
from portal.applications.review.forms import (
    ProposeForm,
    ResultForm,
    ScheduleForm,
    SelectionDayForm,
    VersionForm,
)
from portal.applications.vetting import services as vetting_services
from portal.applications.vetting.models import cleared
from portal.applications.vocab import (
    ACTION_LABELS,
    COMPONENT_LABELS,
    LETTER_LABELS,
    MEDICAL_STATUS_LABELS,
    REJECTION_REASONS,
    RESULT_LABELS,
    SECURITY_STATUS_LABELS,
    STATUS_LABELS,
    reason_text,
)
from portal.applications.workflow import allowed_actions
from portal.extensions import db
from portal.letters import pending
from portal.letters.models import Letter
from portal.refusals import Refusal
from portal.security import STAFF, role_required

bp = Blueprint("review", __name__, url_prefix="/review")
dashboard_views.register(bp)
targets_views.register(bp)
inbox_views.register(bp)


@bp.context_processor
def labels():
    return {"status_labels": STATUS_LABELS, "action_labels": ACTION_LABELS,
            "component_labels": COMPONENT_LABELS, "letter_labels": LETTER_LABELS}



def _application_or_404(application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or application.status == Status.DRAFT:
        abort(404)
    return application


@bp.get("/")
@role_required(*STAFF)
def intakes():
    counts = dict(db.session.execute(
        db.select(Application.intake_id, db.func.count()).where(Application.status != Status.DRAFT)
        .group_by(Application.intake_id)).all())
    rows = db.session.scalars(db.select(Intake).order_by(Intake.applications_open.desc())).all()
    return render_template("applications/review/intakes.html", intakes=rows, counts=counts)


@bp.get("/intakes/<int:intake_id>")
@role_required(*STAFF)
def queue(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    filters = review_queue.Filters.from_args(request.args)
    page = review_queue.page(intake, filters, current_app.config["REVIEW_QUEUE_PAGE_SIZE"])
    return render_template(
        "applications/review/queue.html", intake=intake, page=page, filters=filters,
        statuses=[s for s in Status if s != Status.DRAFT], components=COMPONENT_LABELS,
        provinces=review_queue.provinces(), sorts=_sort_labels(),
        flagged_total=review_queue.flagged_count(intake),
        security_status_labels=SECURITY_STATUS_LABELS,
    )


def _sort_labels() -> dict[str, str]:
    return {"submitted": _("Oldest application first"), "-submitted": _("Newest first"),
            "name": _("Name"), "-score": _("Highest score first"),
            "changed": _("Waiting longest")}


@bp.get("/applications/<int:application_id>")
@role_required(*STAFF)
def application(application_id: int):
    app_ = _application_or_404(application_id)
    audit.record(current_user, "application.viewed", app_)
    db.session.commit()
    return _render_detail(app_)


def _render_detail(app_: Application, status: int = 200, **forms):
    intake = app_.intake
    actor = aliased(User)
    history = db.session.execute(
        db.select(ApplicationEvent, actor).outerjoin(actor, actor.id == ApplicationEvent.actor_id)
        .where(ApplicationEvent.application_id == app_.id).order_by(ApplicationEvent.id)
    ).all()
    days = intake_services.selection_days(intake)
    schedule = forms.get("schedule") or ScheduleForm(version=app_.version)
    schedule.selection_day.choices = [
        SelectChoice(d.id, f"{format_date(d.day, 'medium')} · {d.place} ({n}/{d.capacity})")
        for d, n in days]
    decision = review_services.open_decision(app_)
    results = selection.results_by_kind(app_)
    candidate = db.session.get(User, app_.user_id)
    person = candidate.person if candidate else None
    return render_template(
        "applications/review/application.html", application=app_, intake=intake,
        candidate=candidate, person=person,
        # Never the health step: recruiters and administrators see fit / unfit / pending.
        answers=answers.sections(app_, person is not None), history=history,
        actions=allowed_actions(app_, current_user.role),
        results=results, medical_status=selection.medical_status(results),
        medical_status_labels=MEDICAL_STATUS_LABELS,
        result_labels={k: v for k, v in RESULT_LABELS.items() if k != ResultKind.MEDICAL},
        convocation=selection.convocation_of(app_), decision=decision,
        proposer=db.session.get(User, decision.proposed_by_id) if decision else None,
        reasons=REJECTION_REASONS, components=COMPONENT_LABELS, reason_text=reason_text,
        usage=quotas.usage(intake),
        days_left=review_queue.days_left(intake, app_.status, app_.status_changed_at,
                                         app_.offer_deadline),
        action_form=VersionForm(version=app_.version), schedule_form=schedule,
        result_form=forms.get("result") or ResultForm(version=app_.version),
        select_form=forms.get("select") or ProposeForm(
            prefix="select", version=app_.version, action="select",
            component=app_.component or Component.LAND),
        reject_form=forms.get("reject") or ProposeForm(
            prefix="reject", version=app_.version, action="reject"),
        letters=_letters(app_),
        pending_letters=pending.of_subject(app_),
        by_post=correspondence.has_postal_address(app_),
        clashes=identity_clashes.for_application(app_.id),
        security=vetting_services.summary(app_), security_status_labels=SECURITY_STATUS_LABELS,
        security_cleared=cleared(app_),
        **inbox_views.on_application_page(app_),
    ), status


def _letters(app_: Application) -> list:
    return db.session.scalars(
        db.select(Letter).where(Letter.subject_type == "Application",
                                Letter.subject_id == str(app_.id)).order_by(Letter.id)).all()


def _done(app_: Application, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("review.application", application_id=app_.id))


def _refused(app_id: int, error: Refusal, section: str = "decision"):
    """Back to the application with the refusal shown next to the action that was refused
    (the page's `section`: "tests" or "decision"), not at the top of a long page."""
    refusals.show(error, section=section)
    return redirect(url_for("review.application", application_id=app_id,
                            _anchor=f"{section}-refusal"))


@bp.post("/applications/<int:application_id>/screening")
@role_required(*STAFF)
def start_screening(application_id: int):
    return _simple(application_id, review_services.start_screening, _("Screening started."),
                   "tests")


@bp.post("/applications/<int:application_id>/conclude-tests")
@role_required(*STAFF)
def conclude_tests(application_id: int):
    return _simple(application_id, review_services.conclude_tests, _("Test outcome recorded."),
                   "tests")


@bp.post("/applications/<int:application_id>/waitlist")
@role_required(*STAFF)
def waitlist(application_id: int):
    return _simple(application_id, review_services.put_on_waitlist,
                   _("Waitlist proposed. A second recruiter must confirm it."))


@bp.post("/applications/<int:application_id>/first-day")
@role_required(*STAFF)
def record_first_day(application_id: int):
    return _simple(application_id, service_start.record_first_day,
                   _("Attendance on the first day recorded: the service year has started."),
                   "service")


def _simple(application_id: int, service, message: str, section: str = "decision"):
    app_ = _application_or_404(application_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service(app_, current_user, form.seen_version())
    except Refusal as error:
        return _refused(application_id, error, section)
    return _done(app_, message)


@bp.post("/applications/<int:application_id>/schedule")
@role_required(*STAFF)
def schedule_tests(application_id: int):
    app_ = _application_or_404(application_id)
    form = ScheduleForm()
    form.selection_day.choices = [SelectChoice(d.id, "") for d, _n in
                                  intake_services.selection_days(app_.intake)]
    if not form.validate_on_submit():
        return _render_detail(app_, 400, schedule=form)
    day = db.get_or_404(SelectionDay, form.selection_day.data)
    try:
        review_services.schedule_tests(app_, day, current_user, form.seen_version())
    except Refusal as error:
        return _refused(application_id, error, "tests")
    return _done(app_, _("Tests scheduled; the convocation letter was issued."))


@bp.post("/applications/<int:application_id>/results")
@role_required(*STAFF)
def record_result(application_id: int):
    app_ = _application_or_404(application_id)
    form = ResultForm()
    if not form.validate_on_submit():
        return _render_detail(app_, 400, result=form)
    try:
        review_services.record_result(app_, form.kind.data, form.outcome.data == "pass",
                                      form.score.data, current_user, form.seen_version())
    except Refusal as error:
        return _refused(application_id, error, "tests")
    return _done(app_, _("Test result recorded."))


@bp.post("/applications/<int:application_id>/propose")
@role_required(*STAFF)
def propose_decision(application_id: int):
    app_ = _application_or_404(application_id)
    kind = "reject" if "reject-action" in request.form else "select"
    form = ProposeForm(prefix=kind)
    if not form.validate_on_submit() or form.action.data != kind:
        return _render_detail(app_, 400, **{kind: form})
    try:
        review_services.propose(
            app_, form.action.data, current_user, version=form.seen_version(),
            component=form.component.data, reason_code=form.reason_code.data or "",
            note=form.note.data or "")
        db.session.flush()
    except Refusal as error:
        return _refused(application_id, error)
    except IntegrityError:  # a simultaneous proposal won the unique index
        return _refused(application_id, Refusal(
            _("A decision is already waiting for confirmation.")))
    return _done(app_, _("Decision proposed. A second recruiter must confirm it."))


@bp.post("/decisions/<int:decision_id>/confirm")
@role_required(*STAFF)
def confirm_decision(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    app_ = decision.application
    try:
        review_services.confirm(decision, current_user, form.seen_version())
    except Refusal as error:
        return _refused(app_.id, error)
    return _done(app_, _("Decision confirmed; the decision letter was issued."))


@bp.post("/decisions/<int:decision_id>/cancel")
@role_required(*STAFF)
def cancel_decision(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    if not VersionForm().validate_on_submit():
        abort(400)
    try:
        review_services.cancel(decision, current_user)
    except Refusal as error:
        return _refused(decision.application_id, error)
    return _done(decision.application, _("Proposed decision cancelled."))


@bp.route("/intakes/<int:intake_id>/selection-days", methods=["GET", "POST"])
@role_required(*STAFF)
def selection_days(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    form = SelectionDayForm()
    if form.validate_on_submit() and _save_selection_day(form, lambda: (
            intake_services.create_selection_day(intake, form.day.data, form.place.data,
                                                 form.capacity.data, current_user,
                                                 **form.hours()))):
        flash(_("Selection day added."), "success")
        return redirect(url_for("review.selection_days", intake_id=intake.id))
    days = intake_services.selection_days(intake)
    return render_template("applications/review/selection_days.html", intake=intake, form=form,
                           days=days, adjustment_counts=adjustments.count_of_days(
                               [day for day, _n in days])), \
        400 if form.errors else 200


def _save_selection_day(form: SelectionDayForm, save) -> bool:
    """Runs `save` and commits; a refusal or a clash becomes a form error."""
    try:
        save()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.day.errors.append(_("There is already a selection day on this date and place."))
        return False
    except intake_services.IntakeError as error:
        refusals.show(error, form)
        return False
    return True


@bp.route("/intakes/<int:intake_id>/selection-days/<int:day_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_selection_day(intake_id: int, day_id: int):
    selection_day = db.one_or_404(db.select(SelectionDay).where(
        SelectionDay.id == day_id, SelectionDay.intake_id == intake_id))
    intake = selection_day.intake
    form = SelectionDayForm(obj=selection_day)
    told: list = []

    def save():
        told.extend(intake_services.update_selection_day(
            selection_day, form.day.data, form.place.data, form.capacity.data, current_user,
            **form.hours()))

    if form.validate_on_submit() and _save_selection_day(form, save):
        flash(ngettext("Selection day saved. %(num)d candidate gets a new convocation and a "
                       "message about the change.",
                       "Selection day saved. %(num)d candidates get a new convocation and a "
                       "message about the change.", len(told))
              if told else _("Selection day saved."), "success")
        return redirect(url_for("review.selection_days", intake_id=intake.id))
    return render_template("applications/review/selection_day.html", intake=intake, form=form,
                           selection_day=selection_day,
                           convoked=len(intake_services.to_reconvoke(selection_day))), \
        400 if form.errors else 200
