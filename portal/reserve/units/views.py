"""Unit staff plan training periods, assign reservists, answer swap requests and record
attendance; administrators keep units and needed skills."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from portal import clock, i18n, paging, refusals
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import training, vocab
from portal.reserve.models import (
    Assignment,
    AssignmentStatus,
    Engagement,
    Skill,
    TrainingPeriod,
    Unit,
    UnitMember,
)
from portal.reserve.units import forms, services
from portal.security import Role, role_required

bp = Blueprint("reserve_units", __name__)
PLANNERS = (Role.UNIT_STAFF, Role.ADMIN)


def _unit_or_404(unit_id: int) -> Unit:
    """A unit the signed-in planner works for; any other is a 404."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or not training.works_for(current_user, unit.id):
        abort(404)
    return unit


def _period_or_404(period_id: int) -> TrainingPeriod:
    period = db.session.get(TrainingPeriod, period_id)
    if period is None or not training.works_for(current_user, period.unit_id):
        abort(404)
    return period


@bp.get("/units")
@role_required(*PLANNERS)
def my_units():
    units = training.units_of(current_user)
    counts = dict(db.session.execute(
        db.select(TrainingPeriod.unit_id, func.count()).where(
            TrainingPeriod.cancelled_at.is_(None),
            TrainingPeriod.starts_on >= date(clock.today().year, 1, 1))
        .group_by(TrainingPeriod.unit_id)).all())
    return render_template("reserve/units/mine.html", units=units, counts=counts, vocab=vocab)


@bp.get("/units/<int:unit_id>")
@role_required(*PLANNERS)
def unit(unit_id: int):
    item = _unit_or_404(unit_id)
    year = paging.asked_year(request.args)
    periods = db.session.scalars(db.select(TrainingPeriod).where(
        TrainingPeriod.unit_id == item.id, TrainingPeriod.starts_on >= date(year, 1, 1),
        TrainingPeriod.starts_on <= date(year, 12, 31)).order_by(TrainingPeriod.starts_on)).all()
    taken = dict(db.session.execute(
        db.select(Assignment.period_id, func.count()).join(TrainingPeriod)
        .where(TrainingPeriod.unit_id == item.id, Assignment.status.in_(training.COUNTING))
        .group_by(Assignment.period_id)).all())
    swaps = dict(db.session.execute(
        db.select(Assignment.period_id, func.count()).join(TrainingPeriod)
        .where(TrainingPeriod.unit_id == item.id,
               Assignment.status == AssignmentStatus.SWAP_REQUESTED)
        .group_by(Assignment.period_id)).all())
    reservists_query = db.select(Engagement).where(Engagement.unit_id == item.id,
                                                   Engagement.status.in_(training.SERVING))
    page = paging.numbered(reservists_query.order_by(Engagement.last_name, Engagement.id),
                           request.args, current_app.config["STAFF_LIST_PAGE_SIZE"])
    planned = training.planned_days_by_engagement([e.id for e in page.rows], year)
    return render_template(
        "reserve/units/unit.html", unit=item, year=year, periods=periods, taken=taken,
        swaps=swaps, page=page, planned=planned, vocab=vocab,
        minimum={"soldier": training.minimum_days("soldier"),
                 "cadre": training.minimum_days("nco")})


@bp.route("/units/<int:unit_id>/periods/new", methods=["GET", "POST"])
@role_required(*PLANNERS)
def new_period(unit_id: int):
    item = _unit_or_404(unit_id)
    form = forms.PeriodForm()
    if form.validate_on_submit():
        try:
            period = training.plan_period(
                item, current_user, kind=form.kind.data, starts_on=form.starts_on.data,
                ends_on=form.ends_on.data, place=form.place.data, capacity=form.capacity.data,
                notes=form.notes.data or "")
            db.session.commit()
        except Refusal as err:
            refusals.show(err, form)
        else:
            flash(_("The training period is planned."), "success")
            return redirect(url_for("reserve_units.period", period_id=period.id))
    return render_template("reserve/units/period_form.html", unit=item, form=form), \
        422 if form.errors else 200


@bp.get("/units/periods/<int:period_id>")
@role_required(*PLANNERS)
def period(period_id: int):
    item = _period_or_404(period_id)
    assignments = db.session.scalars(db.select(Assignment).where(
        Assignment.period_id == item.id).options(selectinload(Assignment.engagement))
        .order_by(Assignment.id)).all()
    assigned = {a.engagement_id for a in assignments if a.status in training.COUNTING}
    form = forms.AssignForm()
    search = request.args.get("q", "").strip()[:100]
    candidates, total = _assignable(item, assigned, search)
    form.engagement_id.choices = vocab.options((e.id, f"{e.full_name} ({e.reference})")
                                               for e in candidates)
    return render_template("reserve/units/period.html", period=item, assignments=assignments,
                           form=form, taken=training.taken(item.id), vocab=vocab,
                           today=clock.today(), search=search, assignable=total)


# The most reservists the assignment list offers at once: a larger unit is searched by name
# or reference.
ASSIGNABLE_LISTED = 200


def _assignable(period: TrainingPeriod, assigned: set[int], search: str
                ) -> tuple[list[Engagement], int]:
    """The unit's serving reservists not yet on the period, matching `search` (in a name or
    the reference) when given, by last name: the first ASSIGNABLE_LISTED and how many in
    all."""
    where = [Engagement.unit_id == period.unit_id, Engagement.status.in_(training.SERVING),
             Engagement.id.not_in(assigned)]
    if search:
        words = search.lower()
        where.append(db.or_(*(func.lower(column).contains(words, autoescape=True) for column in (
            Engagement.first_name + " " + Engagement.last_name, Engagement.reference))))
    total = db.session.scalar(db.select(func.count()).select_from(Engagement).where(*where))
    rows = db.session.scalars(db.select(Engagement).where(*where).order_by(
        Engagement.last_name, Engagement.first_name, Engagement.id)
        .limit(ASSIGNABLE_LISTED)).all()
    return rows, total or 0


@bp.post("/units/periods/<int:period_id>/assign")
@role_required(*PLANNERS)
def assign(period_id: int):
    item = _period_or_404(period_id)
    form = forms.AssignForm()
    if not form.validate_on_submit():
        abort(400)
    chosen = form.engagement_id.data
    engagement = db.session.get(Engagement, chosen) if chosen else None
    try:
        if engagement is None:
            raise Refusal(_("Choose a reservist."))
        training.assign(item, engagement, current_user)
        db.session.commit()
        flash(_("The reservist is assigned and informed."), "success")
    except Refusal as err:
        refusals.show(err)
    return redirect(url_for("reserve_units.period", period_id=period_id))


@bp.post("/units/periods/<int:period_id>/cancel")
@role_required(*PLANNERS)
def cancel_period(period_id: int):
    item = _period_or_404(period_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        training.cancel_period(item, current_user)
        db.session.commit()
        flash(_("The training period is cancelled; the reservists are informed."), "success")
    except Refusal as err:
        refusals.show(err)
    return redirect(url_for("reserve_units.period", period_id=period_id))


UNIT_ACTIONS = ("accept_swap", "refuse_swap", "record_attendance", "cancel")


@bp.post("/units/assignments/<int:assignment_id>/<action>")
@role_required(*PLANNERS)
def assignment_action(assignment_id: int, action: str):
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or action not in UNIT_ACTIONS:
        abort(404)
    _period_or_404(assignment.period_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        training.move(assignment, action, current_user,
                      reason=request.form.get("answer", ""),
                      served_days=request.form.get("served_days", type=int))
        db.session.commit()
        flash(_("Saved."), "success")
    except Refusal as err:
        refusals.show(err)
    return redirect(url_for("reserve_units.period", period_id=assignment.period_id))


# Administrators: units and skills as data.

@bp.get("/admin/reserve/units")
@role_required(Role.ADMIN)
def units_admin():
    units = db.session.scalars(db.select(Unit).options(selectinload(Unit.skills))
                               .order_by(Unit.pillar, Unit.name)).all()
    return render_template("reserve/units/admin_units.html", units=units, vocab=vocab)


@bp.route("/admin/reserve/units/new", methods=["GET", "POST"], defaults={"unit_id": None})
@bp.route("/admin/reserve/units/<int:unit_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_unit(unit_id: int | None):
    item = None
    if unit_id is not None:
        item = db.session.get(Unit, unit_id) or abort(404)
    form = forms.UnitForm(obj=item)
    language = i18n.current()
    form.skills.choices = vocab.options((s.id, s.name(language)) for s in
                                        db.session.scalars(db.select(Skill).order_by(Skill.code)))
    form.members.choices = vocab.options((u.id, f"{u.full_name} <{u.email}>")
                                         for u in services.unit_staff_users())
    if request.method == "GET" and item is not None:
        form.skills.data = [s.id for s in item.skills]
        form.members.data = list(db.session.scalars(db.select(UnitMember.user_id).where(
            UnitMember.unit_id == item.id)))
    if form.validate_on_submit():
        try:
            saved = services.save_unit(
                current_user, item, code=form.code.data, name=form.name.data,
                pillar=form.pillar.data, province=form.province.data,
                place=form.place.data or "", places=form.places.data, active=form.active.data,
                skill_ids=form.skills.data, member_ids=form.members.data)
            db.session.commit()
        except Refusal as err:
            refusals.show(err, form)
        else:
            flash(_("The unit is saved."), "success")
            return redirect(url_for("reserve_units.edit_unit", unit_id=saved.id))
    return render_template("reserve/units/admin_unit.html", form=form, unit=item), \
        422 if form.errors else 200


@bp.route("/admin/reserve/skills", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def skills_admin():
    form = forms.SkillForm()
    if form.validate_on_submit():
        try:
            services.save_skill(current_user, code=form.code.data, name_nl=form.name_nl.data,
                                name_fr=form.name_fr.data, name_de=form.name_de.data)
            db.session.commit()
        except Refusal as err:
            refusals.show(err, form)
        else:
            flash(_("The skill is added."), "success")
            return redirect(url_for("reserve_units.skills_admin"))
    skills = db.session.scalars(db.select(Skill).order_by(Skill.code)).all()
    return render_template("reserve/units/admin_skills.html", form=form, skills=skills,
                           language=i18n.current()), 422 if form.errors else 200


@bp.post("/admin/reserve/skills/<int:skill_id>/toggle")
@role_required(Role.ADMIN)
def toggle_skill(skill_id: int):
    skill = db.session.get(Skill, skill_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.toggle_skill(current_user, skill)
    db.session.commit()
    return redirect(url_for("reserve_units.skills_admin"))
