"""Call-up pages: the reservist answers (available / not available); staff read who
answered what, and who did not."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.extensions import db
from portal.refusals import Refusal
from portal.reserve import callups
from portal.reserve.callups import CallUp, CallUpAnswer
from portal.security import Role, role_required

bp = Blueprint("reserve_callups", __name__, url_prefix="/reserve/call-ups")


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
        db.session.rollback()
        flash(err.message, "error")
    return redirect(url_for("reserve_callups.mine"))


@bp.get("/<int:call_up_id>")
@role_required(Role.UNIT_STAFF, Role.RECRUITER, Role.ADMIN)
def answers(call_up_id: int):
    call_up = callups.visible_to(current_user, call_up_id)
    if call_up is None:
        abort(404)
    return render_template("reserve/units/call_up.html", call_up=call_up)
