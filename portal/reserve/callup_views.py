"""Call-up pages: the reservist answers (available / not available); staff read who
answered what, and who did not."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from portal import paging, refusals
from portal.dateranges import DateField, DateRange, horizon, today
from portal.extensions import db
from portal.numbers import record_id
from portal.refusals import Refusal
from portal.reserve import callups, training, vocab
from portal.reserve.callups import CallUp, CallUpAnswer, CallUpKind
from portal.reserve.models import Unit
from portal.reserve.units.forms import MultiCheckbox
from portal.security import Role, role_required

bp = Blueprint("reserve_callups", __name__, url_prefix="/reserve/call-ups")
CALLERS = (Role.UNIT_STAFF, Role.RECRUITER, Role.ADMIN)
KINDS = {CallUpKind.EXERCISE: _l("Exercise call-up"),
         CallUpKind.CRISIS: _l("Crisis availability request")}


class CallUpForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(_l("Give a title.")),
                                                 Length(max=160)])
    kind = SelectField(_l("Kind"), choices=vocab.options(KINDS.items()))
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Give the first day.")),
                                                       DateRange(today, horizon)])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(_l("Give the last day.")),
                                                    DateRange(today, horizon)])
    answer_by = DateField(_l("Answer by"), validators=[InputRequired(_l("Check the dates.")),
                                                       DateRange(today, horizon)])
    unit_ids = MultiCheckbox(_l("Units"), coerce=record_id)
    pillars = MultiCheckbox(_l("Pillars"))


def _units_for(user) -> list[Unit]:
    if user.role == Role.RECRUITER:
        return db.session.scalars(db.select(Unit).order_by(Unit.name)).all()
    return training.units_of(user)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*CALLERS)
def new():
    form = CallUpForm()
    form.unit_ids.choices = [(u.id, u.name) for u in _units_for(current_user)]
    staff = current_user.role in (Role.RECRUITER, Role.ADMIN)
    form.pillars.choices = vocab.options(vocab.PILLAR_LABELS.items()) if staff else []
    if form.validate_on_submit():
        try:
            call_up = callups.create(
                current_user, title=form.title.data, kind=form.kind.data,
                starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                answer_by=form.answer_by.data, unit_ids=form.unit_ids.data or [],
                pillars=form.pillars.data or [])
            db.session.commit()
            flash(_("The call-up is sent."), "success")
            return redirect(url_for("reserve_callups.answers", call_up_id=call_up.id))
        except Refusal as err:
            refusals.show(err, form)
    sent = paging.numbered(callups.visible_newest_first(current_user), request.args,
                           current_app.config["STAFF_LIST_PAGE_SIZE"])
    return render_template("reserve/units/call_up_form.html", form=form, sent=sent)


@bp.get("")
@role_required(Role.CITIZEN)
def mine():
    rows = db.session.scalars(
        db.select(CallUpAnswer).join(CallUp).where(CallUpAnswer.user_id == current_user.id)
        .order_by(CallUp.starts_on.desc())).all()
    return render_template("reserve/candidate/call_ups.html", rows=rows, form=FlaskForm())


@bp.post("/answers/<int:answer_id>")
@role_required(Role.CITIZEN)
def answer(answer_id: int):
    row = db.session.get(CallUpAnswer, answer_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    if not FlaskForm().validate_on_submit() or request.form.get("available") not in ("1", "0"):
        abort(400)
    try:
        callups.answer(row, current_user, available=request.form["available"] == "1",
                       reason=request.form.get("reason", ""))
        db.session.commit()
        flash(_("Your answer is recorded."), "success")
    except Refusal as err:
        refusals.show(err)
    return redirect(url_for("reserve_callups.mine"))


@bp.get("/<int:call_up_id>")
@role_required(Role.UNIT_STAFF, Role.RECRUITER, Role.ADMIN)
def answers(call_up_id: int):
    call_up = callups.visible_to(current_user, call_up_id)
    if call_up is None:
        abort(404)
    return render_template("reserve/units/call_up.html", call_up=call_up)
