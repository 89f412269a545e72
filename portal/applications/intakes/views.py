"""Administrator pages: intakes (windows, quotas, eligibility) and their information sessions."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import refusals
from portal.applications.intakes import services as service
from portal.applications.intakes.forms import CapacityForm, IntakeForm, SessionForm
from portal.applications.intakes.models import InfoSession
from portal.applications.models import Component, Intake
from portal.applications.vocab import COMPONENT_LABELS
from portal.extensions import db
from portal.security import Role, role_required

bp = Blueprint("intakes", __name__, url_prefix="/admin/intakes")
BRUSSELS = ZoneInfo("Europe/Brussels")



def _values(form: IntakeForm) -> dict:
    values = {name: form[name].data for name in service.INTAKE_FIELDS}
    if values["reschedule_days"] is None:  # left empty: the intake keeps its number
        del values["reschedule_days"]
    return values


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    intakes = db.session.scalars(db.select(Intake).order_by(Intake.start_date.desc())).all()
    return render_template("applications/intakes/index.html", intakes=intakes,
                           components=list(Component), component_labels=COMPONENT_LABELS)


def _form_page(form: IntakeForm, intake: Intake | None):
    """The intake form, for a new intake (None) or to edit one."""
    return render_template("applications/intakes/form.html", form=form, intake=intake,
                           component_labels=COMPONENT_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    form = IntakeForm()
    if not form.is_submitted():
        form.requires_info_session.data = True
        form.nationality_rule.data = "belgian"
        form.min_age.data, form.max_age.data = 18, 25
        form.flag_after_days.data, form.offer_days.data = 14, 10
        form.reschedule_days.data = 3
    if form.validate_on_submit():
        try:
            intake = service.create(_values(form), current_user)
        except service.IntakeError as err:
            refusals.show(err, form)
        else:
            db.session.commit()
            flash(_("Intake %(name)s created.", name=intake.name), "success")
            return redirect(url_for("intakes.sessions", intake_id=intake.id))
    return _form_page(form, None)


@bp.route("/<int:intake_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    form = IntakeForm(obj=intake)
    if form.validate_on_submit():
        try:
            service.update(intake, _values(form), current_user)
        except service.IntakeError as err:
            refusals.show(err, form)
        else:
            db.session.commit()
            flash(_("Intake %(name)s saved.", name=intake.name), "success")
            return redirect(url_for("intakes.index"))
    return _form_page(form, intake)


@bp.route("/<int:intake_id>/sessions", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def sessions(intake_id: int):
    intake = db.get_or_404(Intake, intake_id)
    form = SessionForm()
    if form.validate_on_submit():
        starts_at = form.starts_at.data.replace(tzinfo=BRUSSELS)
        service.add_session(intake, starts_at, form.online.data, form.place.data,
                            form.languages.data, form.capacity.data, current_user,
                            join_url=form.join_url.data or "")
        db.session.commit()
        flash(_("Information session added."), "success")
        return redirect(url_for("intakes.sessions", intake_id=intake.id))
    return render_template("applications/intakes/sessions.html", intake=intake, form=form,
                           sessions=service.sessions_of(intake))


@bp.route("/<int:intake_id>/sessions/<int:session_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def session_capacity(intake_id: int, session_id: int):
    session = db.session.get(InfoSession, session_id)
    if session is None or session.intake_id != intake_id:
        abort(404)
    form = CapacityForm(obj=session, online=session.online)
    if form.validate_on_submit():
        try:
            service.change_capacity(session, form.capacity.data, current_user)
            if session.online:
                service.change_join_url(session, form.join_url.data or "", current_user)
        except service.IntakeError as err:
            refusals.show(err, form)
        else:
            db.session.commit()
            flash(_("Capacity saved."), "success")
            return redirect(url_for("intakes.sessions", intake_id=intake_id))
    booked = dict((s.id, n) for s, n in service.sessions_of(session.intake))[session.id]
    return render_template("applications/intakes/capacity.html", session=session, form=form,
                           intake=session.intake, booked=booked)
