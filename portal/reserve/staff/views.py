"""Recruiters' pages of the Reserve: the engagement queue, one engagement and its moves,
and the career queue of participants who chose a career after their service year."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from portal import paging, refusals
from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import engagements, vocab, workflow, year_end
from portal.reserve.models import Engagement, EngagementStatus, Pillar, YearEndChoice
from portal.reserve.staff import forms
from portal.security import Role, role_required

bp = Blueprint("reserve_staff", __name__, url_prefix="/staff/reserve")
STAFF = (Role.RECRUITER, Role.ADMIN)


@bp.get("/engagements")
@role_required(*STAFF)
def queue():
    status = request.args.get("status", "")
    pillar = request.args.get("pillar", "")
    query = db.select(Engagement)
    if status in set(EngagementStatus):
        query = query.where(Engagement.status == status)
    else:
        status = ""
        query = query.where(Engagement.status.in_(workflow.UNDECIDED))
    if pillar in set(Pillar):
        query = query.where(Engagement.pillar == pillar)
    else:
        pillar = ""
    page = paging.numbered(query.order_by(Engagement.submitted_at, Engagement.id), request.args,
                           current_app.config["REVIEW_QUEUE_PAGE_SIZE"],
                           status=status, pillar=pillar)
    return render_template("reserve/staff/queue.html", page=page,
                           filters={"status": status, "pillar": pillar}, vocab=vocab)


@bp.get("/engagements/<int:engagement_id>")
@role_required(*STAFF)
def engagement(engagement_id: int):
    item = db.session.get(Engagement, engagement_id) or abort(404)
    return _engagement_page(item, forms.MoveForm())


def _engagement_page(item: Engagement, form, status: int = 200):
    units = engagements.active_units(item.pillar)
    form.unit_id.choices = vocab.options([(0, "—"), *((u.id, u.name) for u in units)])
    if item.preferences and not form.unit_id.data:
        form.unit_id.data = item.preferences[0].unit_id
    suggestions = engagements.suggest([s.id for s in item.skills], item.postcode,
                                      item.days_per_year, item.pillar)
    return render_template("reserve/staff/engagement.html", engagement=item, form=form,
                           vocab=vocab, suggestions=suggestions,
                           actions=workflow.allowed_actions(item, current_user.role)), status


@bp.post("/engagements/<int:engagement_id>/move")
@role_required(*STAFF)
def move(engagement_id: int):
    item = db.session.get(Engagement, engagement_id) or abort(404)
    form = forms.MoveForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors or form.action.errors:
            abort(400)
        return _engagement_page(item, form, 400)  # e.g. a start date out of range, by its field
    try:
        engagements.decide(item, form.action.data, current_user, reason=form.reason.data or "",
                           version=form.version.data, unit_id=form.unit_id.data or None,
                           start_date=form.start_date.data)
        db.session.commit()
    except Refusal as err:
        refusals.show(err)
    else:
        flash(_("Done: %(status)s.", status=vocab.STATUS_LABELS[EngagementStatus(item.status)]),
              "success")
    return redirect(url_for("reserve_staff.engagement", engagement_id=engagement_id))


@bp.get("/careers")
@role_required(*STAFF)
def careers():
    return render_template("reserve/staff/careers.html", rows=year_end.career_queue(),
                           form=FlaskForm())


@bp.post("/careers/<int:choice_id>/take-up")
@role_required(*STAFF)
def take_up(choice_id: int):
    choice = db.session.get(YearEndChoice, choice_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        year_end.take_up_career(choice, current_user)
        db.session.commit()
        flash(_("You took up this career application."), "success")
    except Refusal as err:
        refusals.show(err)
    return redirect(url_for("reserve_staff.careers"))
