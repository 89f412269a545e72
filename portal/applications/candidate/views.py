"""The candidate's pages: information sessions, the application steps, status, offer."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.validators import DataRequired, Length

from portal import clock, drafts, refusals
from portal.accounts.guards import verified_required
from portal.applications import answers, background, interest, offer_terms
from portal.applications.candidate import aftercare, forms
from portal.applications.candidate import services as service
from portal.applications.candidate import status as status_text
from portal.applications.intakes import booking as sessions
from portal.applications.intakes import services as intakes
from portal.applications.intakes.models import InfoSession
from portal.applications.models import Application, Intake, Status
from portal.applications.questions import REQUIRED, STEP_FORMS, STEPS
from portal.applications.vetting import services as vetting_services
from portal.applications.vocab import COMPONENT_LABELS, SECURITY_CANDIDATE_LABELS
from portal.extensions import db
from portal.letters import pending
from portal.models import utcnow
from portal.refusals import Refusal
from portal.security import Role, role_required

bp = Blueprint("applications", __name__)
aftercare.register(bp)

STEP_KEYS = list(STEPS)


def _today() -> date:
    return clock.today()


def _own(application_id: int) -> Application:
    """The signed-in candidate's application; anyone else's is 404, as if it did not exist."""
    return service.for_candidate(current_user.id, application_id) or abort(404)



@bp.get("/apply")
@role_required(Role.CITIZEN)
def intakes_open():
    rows = []
    for intake in intakes.open_intakes(_today()):
        rows.append({
            "intake": intake,
            "booking": sessions.active_booking(current_user.id, intake.id),
            "application": service.find(current_user.id, intake.id),
            "can_start": not service.start_problems(current_user, intake, _today()),
        })
    return render_template("applications/candidate/intakes.html", rows=rows, today=_today(),
                           interest_answered=interest.of(current_user) is not None)


@bp.get("/apply/<int:intake_id>/sessions")
@role_required(Role.CITIZEN)
def info_sessions(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    return render_template(
        "applications/candidate/sessions.html", intake=intake,
        sessions=sessions.upcoming_sessions(intake),
        booking=sessions.active_booking(current_user.id, intake.id),
        now=utcnow(),
    )


@bp.post("/apply/<int:intake_id>/sessions")
@role_required(Role.CITIZEN)
def book_session(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    form = forms.BookingForm()
    if not form.validate_on_submit():
        abort(400)
    target = db.session.get(InfoSession, form.session_id.data)
    if target is None or target.intake_id != intake.id:
        abort(404)
    try:
        booking = sessions.book(current_user, target.id)
        db.session.commit()
    except sessions.BookingError as err:
        refusals.show(err)
        return redirect(url_for("applications.info_sessions", intake_id=intake.id))
    except IntegrityError:
        # The same user booking twice at the very same moment: the first one counts.
        db.session.rollback()
        booking = sessions.active_booking(current_user.id, intake.id)
    flash(_("Your place is booked: %(when)s, %(place)s.",
            when=_when(booking.session.starts_at), place=booking.session.place), "success")
    return redirect(url_for("applications.intakes_open"))


@bp.post("/apply/<int:intake_id>/sessions/cancel")
@role_required(Role.CITIZEN)
def cancel_booking(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    try:
        cancelled = sessions.cancel(current_user, intake.id)
        db.session.commit()
    except sessions.BookingError as err:
        refusals.show(err)
        return redirect(url_for("applications.info_sessions", intake_id=intake.id))
    if cancelled:
        flash(_("Your booking is cancelled."), "success")
    return redirect(url_for("applications.info_sessions", intake_id=intake.id))


def _when(moment) -> str:
    return format_datetime(moment, "medium")


@bp.post("/apply/<int:intake_id>/start")
@role_required(Role.CITIZEN)
def start_application(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    try:
        application = service.start(current_user, intake, _today())
        db.session.commit()
    except service.ApplicationError as err:
        refusals.show(err)
        return redirect(url_for("applications.intakes_open"))
    if application.status != Status.DRAFT:
        return redirect(url_for("applications.status", application_id=application.id))
    return redirect(url_for("applications.step", application_id=application.id,
                            step=_next_step(application)))


def _next_step(application: Application) -> str:
    stored = answers.own(application)
    return next((s for s in STEP_KEYS if s not in stored), STEP_KEYS[-1])


def _make_form(step: str, application: Application, data: dict | None = None):
    form_class = STEP_FORMS[step]
    form = form_class(data=data) if data is not None else form_class()
    form.intake = application.intake  # the range of dates that make sense for it
    if step == "personal" and current_user.person is not None:
        # The register already gave us the birth date and the national register number.
        del form.birth_date
        del form.national_number
    elif step == "personal" and not answers.own(application).get("personal", {}).get(
            "nn_hash"):
        form.national_number.validators = [DataRequired(REQUIRED), Length(max=20)]
    if step == "preferences":
        form.set_components(service.components_of(application.intake))
    return form


def _ineligible(form, step: str, application: Application) -> bool:
    """Age and nationality refused next to their fields as soon as the step gives them,
    together with the form's other errors (a field already in error keeps its own)."""
    if step != "personal":
        return False
    born = form.birth_date.data if "birth_date" in form else service.birth_date(
        application, current_user)
    problems = service.eligibility(application.intake, born, form.nationality.data)
    for name, message in problems.items():
        if name not in form:
            form.form_errors.append(message)
        elif not form[name].errors:
            form[name].errors = [*form[name].errors, message]
    return bool(problems)


@bp.route("/my-application/<int:application_id>/step/<step>", methods=["GET", "POST"])
@drafts.kept
@role_required(Role.CITIZEN)
def step(application_id: int, step: str):
    application = _own(application_id)
    if step not in STEP_FORMS:
        abort(404)
    if application.status != Status.DRAFT:
        if request.method == "POST":
            flash(_("This application was already submitted: it can no longer be changed. "
                    "Here is where it stands now."), "info")
        return redirect(url_for("applications.status", application_id=application.id))
    if request.method == "POST":
        form = _make_form(step, application)
        # Every error of the step at once: the form's own and the intake's rules.
        valid = form.validate_on_submit()
        if not _ineligible(form, step, application) and valid:
            data = {k: v for k, v in form.data.items() if k not in ("csrf_token", "version")}
            try:
                service.save_step(application, step, data, current_user, form.version.data)
            except service.ApplicationError as err:
                refusals.show(err)
                return redirect(url_for("applications.step", application_id=application.id,
                                        step=step))
            db.session.commit()
            if request.form.get("then") == "stop":
                flash(_("Your draft is saved. You can come back to it at any time."), "success")
                return redirect(url_for("applications.status", application_id=application.id))
            index = STEP_KEYS.index(step)
            if index + 1 < len(STEP_KEYS):
                return redirect(url_for("applications.step", application_id=application.id,
                                        step=STEP_KEYS[index + 1]))
            return redirect(url_for("applications.review", application_id=application.id))
    else:
        data = answers.form_data(service.prefill(current_user, application, step))
        form = _make_form(step, application, data)
        kept = drafts.take()  # typed before an expired session refused the form
        if kept is not None:
            form.process(formdata=kept, data=data)
        form.version.data = application.version
    return render_template(
        "applications/candidate/step.html", application=application, form=form,
        step=step, steps=STEPS, done=set(answers.own(application)),
        nn_stored=bool(answers.own(application).get("personal", {}).get("nn_hash")),
        person=current_user.person,
    )


@bp.get("/my-application/<int:application_id>/check")
@role_required(Role.CITIZEN)
def review(application_id: int):
    application = _own(application_id)
    if application.status != Status.DRAFT:
        return redirect(url_for("applications.status", application_id=application.id))
    form = forms.VersionForm(data={"version": application.version})
    return render_template(
        "applications/candidate/review.html", application=application, form=form,
        steps=STEPS, answers=answers.own(application), step="check",
        done=set(answers.own(application)),
        problems=service.missing(application, current_user, _today()),
        summary=_summary(application),
    )


def _summary(application: Application) -> dict[str, list[tuple[str, str]]]:
    """Each completed step's answers as (question, answer in words)."""
    return answers.summary(application, current_user.person is not None, health=True)


@bp.post("/my-application/<int:application_id>/submit")
@role_required(Role.CITIZEN)
@verified_required
def submit(application_id: int):
    application = _own(application_id)
    form = forms.VersionForm()
    if not form.validate_on_submit():
        abort(400)
    if application.status != Status.DRAFT:
        # A second click, or another tab: it is already done, nothing changes.
        flash(_("This application was already submitted."), "info")
        return redirect(url_for("applications.status", application_id=application.id))
    try:
        service.submit(application, current_user, form.version.data, _today())
    except Refusal as err:
        refusals.show(err)
        return redirect(url_for("applications.review", application_id=application.id))
    db.session.commit()
    flash(_("Your application is submitted. You will find the acknowledgement letter below."),
          "success")
    return redirect(url_for("applications.status", application_id=application.id))


@bp.get("/my-application")
@role_required(Role.CITIZEN)
def mine():
    applications = service.of_user(current_user.id)
    if len(applications) == 1:
        return redirect(url_for("applications.status", application_id=applications[0].id))
    return render_template("applications/candidate/mine.html", applications=applications,
                           explain=status_text.explain,
                           background_answered=background.of(current_user) is not None)


@bp.get("/my-application/<int:application_id>")
@role_required(Role.CITIZEN)
def status(application_id: int):
    application = _own(application_id)
    letters = status_text.letters_of(application, current_user)
    return render_template(
        "applications/candidate/status.html", application=application,
        explain=status_text.explain(application),
        next_step=status_text.next_step(application),
        history=status_text.history(application),
        letters=letters, replaced=status_text.replaced(letters),
        pending_letters=pending.of_subject(application),
        form=forms.VersionForm(data={"version": application.version}),
        can_withdraw=application.status in status_text.WITHDRAWABLE,
        steps=STEPS, done=set(answers.own(application)),
        letter_kinds=status_text.LETTER_KINDS,
        summary=_summary(application) if application.status != Status.DRAFT else {},
        background_answered=background.of(current_user) is not None,
        security=vetting_services.candidate_status(application),
        security_labels=SECURITY_CANDIDATE_LABELS,
        **aftercare.on_status_page(application),
    )


@bp.route("/my-application/<int:application_id>/withdraw", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def withdraw(application_id: int):
    application = _own(application_id)
    form = forms.VersionForm(data={"version": application.version}
                             if request.method == "GET" else None)
    if request.method == "POST" and form.validate_on_submit():
        if application.status == Status.WITHDRAWN:
            flash(_("This application was already withdrawn."), "info")
            return redirect(url_for("applications.status", application_id=application.id))
        try:
            service.withdraw(application, current_user, form.version.data)
        except service.ApplicationError as err:
            refusals.show(err)
            return redirect(url_for("applications.status", application_id=application.id))
        db.session.commit()
        flash(_("Your application is withdrawn."), "success")
        return redirect(url_for("applications.status", application_id=application.id))
    if application.status not in status_text.WITHDRAWABLE:
        return redirect(url_for("applications.status", application_id=application.id))
    return render_template("applications/candidate/withdraw.html", application=application,
                           form=form)


@bp.route("/my-application/<int:application_id>/offer", methods=["GET", "POST"])
@drafts.kept
@role_required(Role.CITIZEN)
def offer(application_id: int):
    application = _own(application_id)
    form = forms.VersionForm(data={"version": application.version}
                             if request.method == "GET" else None)
    if request.method == "POST" and form.validate_on_submit():
        choice = request.form.get("answer")
        if choice not in ("accept", "decline"):
            abort(400)
        if application.status != Status.SELECTED:
            flash(_("You already answered this offer."), "info")
            return redirect(url_for("applications.status", application_id=application.id))
        if choice == "decline" and request.form.get("confirm") != "yes":
            # Declining cannot be undone: say what it does, and act only once confirmed.
            return render_template("applications/candidate/offer_decline.html",
                                   application=application, form=form)
        try:
            service.answer_offer(application, current_user, choice == "accept",
                                 form.version.data, _today())
        except service.ApplicationError as err:
            refusals.show(err)
            return redirect(url_for("applications.status", application_id=application.id))
        db.session.commit()
        flash(_("Thank you: you accepted the offer.") if choice == "accept"
              else _("You declined the offer. Your place goes to another candidate."), "success")
        return redirect(url_for("applications.status", application_id=application.id))
    if application.status != Status.SELECTED:
        return redirect(url_for("applications.status", application_id=application.id))
    # An answer sent after the session had ended: shown again, to send once more.
    kept = (drafts.take() or {}).get("answer")
    if kept == "decline":
        return render_template("applications/candidate/offer_decline.html",
                               application=application, form=form)
    expired = application.offer_deadline is not None and _today() > application.offer_deadline
    return render_template("applications/candidate/offer.html", application=application,
                           form=form, component_labels=COMPONENT_LABELS, expired=expired,
                           kept_answer=kept, offer_lines=offer_terms.lines)
