"""The reservist's employer page: name an employer, follow the agreement, release the hold."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock, refusals
from portal.employers import (
    periods,
    reserve_calendar,
    self_employed,
    services,
    statement_reviews,
    statements,
    workflow,
)
from portal.employers.models import Agreement, Employer, Nomination
from portal.employers.reservist.forms import (
    NominationForm,
    ReasonForm,
    SelfEmploymentForm,
    StatementReviewForm,
)
from portal.employers.web import commit_and_send
from portal.extensions import db, limiter
from portal.letters.services import new_reference
from portal.refusals import Refusal
from portal.security import Role, private_file, role_required

bp = Blueprint("employers_reservist", __name__, url_prefix="/reserve/employer")


def _contact_limit() -> str:
    """E-mails to HR contacts a reservist may cause (each form post can send one)."""
    return current_app.config["EMPLOYER_CONTACT_LIMIT"]


def _daily_limit() -> str:
    """E-mails to HR contacts one account may cause in a day, wherever it posts from."""
    return current_app.config["EMPLOYER_CONTACT_DAILY_LIMIT"]


def _account_key() -> str:
    return f"account:{current_user.id}" if current_user.is_authenticated else "account:-"


_throttled = limiter.limit(_contact_limit, methods=["POST"], scope="employers-contact")
_daily = limiter.limit(_daily_limit, methods=["POST"], scope="employers-contact-daily",
                       key_func=_account_key)


@bp.app_template_global()
def may_name_employer() -> bool:
    """Whether the signed-in citizen is a reservist, who names an employer (menu, pages)."""
    if not current_user.is_authenticated or current_user.role != Role.CITIZEN:
        return False
    if "may_name_employer" not in g:
        g.may_name_employer = reserve_calendar.may_name_employer(current_user.id)
    return g.may_name_employer


def _reservists_only() -> None:
    """Naming an employer makes the portal write to a company in Defence's name: only a
    reservist does it, for themselves."""
    if not may_name_employer():
        abort(403)


def _page(form, status=200, review_form=None, self_form=None):
    nominations = db.session.scalars(db.select(Nomination).where(
        Nomination.reservist_id == current_user.id).order_by(Nomination.id)).all()
    agreements = db.session.scalars(db.select(Agreement).where(
        Agreement.reservist_id == current_user.id).order_by(Agreement.id.desc())).all()
    return render_template("employers/reservist/index.html", form=form,
                           nominations=nominations, agreements=agreements,
                           answers=periods.answers_for_reservist(current_user.id),
                           reason_form=ReasonForm(), workflow=workflow,
                           statement_lines=_statement_lines(),
                           statement_reviews=statement_reviews.of_reservist(current_user.id),
                           review_form=review_form or StatementReviewForm(),
                           outcomes=statement_reviews.OUTCOMES,
                           self_employment=self_employed.current(current_user.id),
                           self_years=self_employed.years(current_user, clock.today()),
                           self_form=self_form or _self_form()), status


def _self_form() -> SelfEmploymentForm:
    form = SelfEmploymentForm(prefix="self", formdata=None)
    row = self_employed.current(current_user.id)
    if row is not None:
        form.enterprise_number.data = row.formatted_number
        form.iban.data = statements.format_iban(row.iban)
    return form


def _statement_lines() -> list[tuple]:
    """(enterprise, year, the reservist's line, last day) of the statements they may
    contest now."""
    rows = []
    for employer, year in statement_reviews.contestable_for_reservist(current_user.id,
                                                                      clock.today()):
        lines = statements.statement_for(employer, year).lines
        line = next((x for x in lines if x.reservist_id == current_user.id), None)
        rows.append((employer, year, line, statement_reviews.deadline(year)))
    return rows


@bp.post("/statements/<int:employer_id>/<int:year>/review")
@role_required(Role.CITIZEN)
def contest_statement(employer_id: int, year: int):
    """The reservist contests their days in an enterprise's compensation statement."""
    employer = db.session.get(Employer, employer_id)
    if employer is None or not statement_reviews.on_statement(current_user.id, employer_id,
                                                              year):
        abort(404)
    form = StatementReviewForm()
    if form.validate_on_submit():
        try:
            statement_reviews.ask(current_user, employer, year, form.reason.data, clock.today())
        except Refusal as refusal:
            refusals.show(refusal, form)
        else:
            commit_and_send()
            flash(_("Your request is sent. We will answer it by e-mail."), "success")
            return redirect(url_for("employers_reservist.index"))
    return _page(NominationForm(hr_language=current_user.language), 400, review_form=form)


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
@_throttled
@_daily
def index():
    if not may_name_employer():
        # Explained on the page; a form sent anyway is refused.
        return render_template("employers/reservist/not_yet.html"), (
            403 if request.method == "POST" else 200)
    # The HR contact's language: the reservist's own unless they choose another.
    form = NominationForm(hr_language=current_user.language)
    if form.validate_on_submit():
        try:
            nomination = services.nominate(
                current_user, enterprise_number=form.enterprise_number.data,
                name=form.name.data, hr_email=form.hr_email.data, hold=form.hold.data,
                language=form.hr_language.data)
        except Refusal as refusal:
            refusals.show(refusal, form)
            return _page(form, 400)
        commit_and_send()
        if nomination.hold:
            flash(_("Your employer is saved. We will not contact them until you ask us to."),
                  "success")
        else:
            flash(_("We sent your HR contact a link to the agreement."), "success")
        return redirect(url_for("employers_reservist.index"))
    return _page(form, 400 if form.is_submitted() else 200)


@bp.post("/nominations/<int:nomination_id>/contact")
@role_required(Role.CITIZEN)
@_throttled
@_daily
def contact(nomination_id: int):
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or nomination.reservist_id != current_user.id:
        abort(404)
    _reservists_only()
    try:
        services.release_hold(current_user, nomination.id)
    except Refusal as refusal:
        refusals.show(refusal)
        return redirect(url_for("employers_reservist.index"))
    commit_and_send()
    flash(_("We sent your HR contact a link to the agreement."), "success")
    return redirect(url_for("employers_reservist.index"))


@bp.post("/agreements/<int:agreement_id>/<action>")
@role_required(Role.CITIZEN)
def move(agreement_id: int, action: str):
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or agreement.reservist_id != current_user.id:
        abort(404)
    form = ReasonForm()
    if not form.validate_on_submit() or action not in ("withdraw", "end"):
        abort(400)
    try:
        workflow.transition(agreement, action, current_user, form.reason.data)
    except Refusal as refusal:
        refusals.show(refusal)
        return redirect(url_for("employers_reservist.index"))
    commit_and_send()
    flash(_("Done: the agreement has ended."), "success")
    return redirect(url_for("employers_reservist.index"))


# ------------------------------------------------------------------ self-employed


@bp.post("/self-employed")
@role_required(Role.CITIZEN)
def declare_self_employed():
    _reservists_only()
    form = SelfEmploymentForm(prefix="self")
    if form.validate_on_submit():
        try:
            self_employed.declare(current_user, form.enterprise_number.data, form.iban.data,
                                  clock.today())
        except Refusal as refusal:
            refusals.show(refusal, form)
        else:
            commit_and_send()
            flash(_("Saved: you get your own compensation statement for the days you serve."),
                  "success")
            return redirect(url_for("employers_reservist.index", _anchor="self-employed"))
    return _page(NominationForm(hr_language=current_user.language), 400, self_form=form)


@bp.post("/self-employed/stop")
@role_required(Role.CITIZEN)
def stop_self_employed():
    if self_employed.stop(current_user, clock.today()):
        commit_and_send()
        flash(_("Saved: you are no longer self-employed from today. Your statements of the "
                "years before stay."), "success")
    return redirect(url_for("employers_reservist.index", _anchor="self-employed"))


def _self_statement(year: int):
    if not 2000 <= year <= 2100:
        abort(404)
    return self_employed.statement_for(current_user, year) or abort(404)


@bp.get("/self-employed/statements/<int:year>")
@role_required(Role.CITIZEN)
def self_statement(year: int):
    return render_template("employers/reservist/self_statement.html",
                           statement=_self_statement(year))


@bp.get("/self-employed/statements/<int:year>.pdf")
@role_required(Role.CITIZEN)
def self_statement_pdf(year: int):
    statement = _self_statement(year)
    pdf, _pages = self_employed.render_pdf(current_user, statement,
                                           new_reference("self_statement"))
    return private_file(pdf, "application/pdf", f"self-employed-statement-{year}.pdf")
