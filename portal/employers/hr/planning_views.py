"""The enterprise's planning of its reservists' training, for HR users of the enterprise:
the home page's two downloads (CSV and iCalendar, next months), and the statement page's
compensatory leave of a year for payroll (CSV and PDF)."""
from __future__ import annotations

from flask import Blueprint, abort

from portal import clock
from portal.employers import planning, statements
from portal.employers.hr.views import _employer_or_404  # the enterprise's members only
from portal.letters.services import new_reference
from portal.security import Role, private_file, role_required

bp = Blueprint("employers_planning", __name__, url_prefix="/employer")


@bp.get("/enterprises/<int:employer_id>/planning.csv")
@role_required(Role.EMPLOYER)
def planning_csv(employer_id: int):
    employer = _employer_or_404(employer_id)
    today = clock.today()
    body = planning.to_csv(employer, planning.rows(employer, today)).encode("utf-8-sig")
    return private_file(body, "text/csv",
                        f"{planning.file_stem(employer, today)}.csv", attachment=True)


@bp.get("/enterprises/<int:employer_id>/planning.ics")
@role_required(Role.EMPLOYER)
def planning_ics(employer_id: int):
    employer = _employer_or_404(employer_id)
    today = clock.today()
    body = planning.to_ical(employer, planning.rows(employer, today))
    return private_file(body, "text/calendar",
                        f"{planning.file_stem(employer, today)}.ics", attachment=True)


def _statement(employer_id: int, year: int):
    employer = _employer_or_404(employer_id)
    if not 2000 <= year <= 2100:
        abort(404)
    return statements.statement_for(employer, year)


@bp.get("/enterprises/<int:employer_id>/statements/<int:year>/leave.csv")
@role_required(Role.EMPLOYER)
def leave_csv(employer_id: int, year: int):
    statement = _statement(employer_id, year)
    body = planning.leave_csv(statement).encode("utf-8-sig")
    return private_file(body, "text/csv",
                        f"{planning.leave_file_stem(statement)}.csv", attachment=True)


@bp.get("/enterprises/<int:employer_id>/statements/<int:year>/leave.pdf")
@role_required(Role.EMPLOYER)
def leave_pdf(employer_id: int, year: int):
    statement = _statement(employer_id, year)
    pdf, _pages = planning.render_leave_pdf(statement, new_reference("leave_statement"))
    return private_file(pdf, "application/pdf",
                        f"{planning.leave_file_stem(statement)}.pdf", attachment=True)
