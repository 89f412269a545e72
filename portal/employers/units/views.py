"""Unit staff see at once what the employers answered about their units' periods."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from portal.employers import reserve_calendar
from portal.security import Role, role_required

bp = Blueprint("employers_units", __name__, url_prefix="/units/employer-answers")


@bp.get("/")
@role_required(Role.UNIT_STAFF, Role.ADMIN)
def answers():
    return render_template("employers/units/answers.html",
                           rows=reserve_calendar.answers_for_units_of(current_user))
