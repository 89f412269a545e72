"""The enterprise's planning of its reservists' training, for HR users of the enterprise:
the home page's two downloads (CSV and iCalendar, next months), and the statement page's
compensatory leave of a year for payroll (CSV and PDF)."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, send_file

from portal import clock
from portal.employers import planning, statements
from portal.employers.hr.views import _employer_or_404  # the enterprise's members only
from portal.letters.services import new_reference
from portal.security import Role, role_required

bp = Blueprint("employers_planning", __name__, url_prefix="/employer")


def _download(body: bytes, mimetype: str, name: str):
    response = send_file(BytesIO(body), mimetype=mimetype, as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/enterprises/<int:employer_id>/planning.csv")
@role_required(Role.EMPLOYER)
def planning_csv(employer_id: int):
    employer = _employer_or_404(employer_id)
    today = clock.today()
    body = planning.to_csv(employer, planning.rows(employer, today)).encode("utf-8-sig")
    return _download(body, "text/csv", f"{planning.file_stem(employer, today)}.csv")


@bp.get("/enterprises/<int:employer_id>/planning.ics")
@role_required(Role.EMPLOYER)
def planning_ics(employer_id: int):
    employer = _employer_or_404(employer_id)
    today = clock.today()
    body = planning.to_ical(employer, planning.rows(employer, today))
    return _download(body, "text/calendar", f"{planning.file_stem(employer, today)}.ics")


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
    return _download(body, "text/csv", f"{planning.leave_file_stem(statement)}.csv")


@bp.get("/enterprises/<int:employer_id>/statements/<int:year>/leave.pdf")
@role_required(Role.EMPLOYER)
def leave_pdf(employer_id: int, year: int):
    statement = _statement(employer_id, year)
    pdf, _pages = planning.render_leave_pdf(statement, new_reference("leave_statement"))
    return _download(pdf, "application/pdf", f"{planning.leave_file_stem(statement)}.pdf")
