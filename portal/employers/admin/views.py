"""Administrators: sector agreements, every employer agreement with its answers, and the
requests of enterprises' first HR administrators."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal import paging, refusals
from portal.employers import joining, periods, public_employers, statement_reviews
from portal.employers.admin import services
from portal.employers.admin.forms import (
    JoinDecisionForm,
    PublicEmployerForm,
    SectorAgreementForm,
    StatementAnswerForm,
)
from portal.employers.models import Agreement, JoinRequest, SectorAgreement, StatementReview
from portal.employers.terms import euros
from portal.employers.web import commit_and_send
from portal.extensions import db
from portal.refusals import Refusal
from portal.security import Role, role_required

bp = Blueprint("employers_admin", __name__, url_prefix="/admin/employers")


@bp.get("/sector-agreements")
@role_required(Role.ADMIN)
def sectors():
    rows = db.session.scalars(db.select(SectorAgreement).order_by(SectorAgreement.sector_name))
    return render_template("employers/admin/sectors.html", sectors=rows.all(), euros=euros)


def _values(form) -> dict:
    return {name: form[name].data for name in services.FIELDS}


@bp.route("/sector-agreements/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create_sector():
    form = SectorAgreementForm()
    if form.validate_on_submit():
        try:
            sector = services.create(current_user, _values(form))
        except Refusal as refusal:
            refusals.show(refusal, form)
        else:
            commit_and_send()
            flash(_("Sector agreement %(name)s saved.", name=sector.sector_name), "success")
            return redirect(url_for("employers_admin.sectors"))
    return render_template("employers/admin/sector_form.html", form=form, sector=None), (
        400 if form.is_submitted() else 200)


@bp.route("/sector-agreements/<int:sector_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_sector(sector_id: int):
    sector = db.session.get(SectorAgreement, sector_id) or abort(404)
    form = SectorAgreementForm(obj=sector)
    if not form.is_submitted():
        form.compensation.data = euros(sector.compensation_cents)
        form.committees.data = ", ".join(sector.committee_list)
    if form.validate_on_submit():
        try:
            services.update(current_user, sector, _values(form))
        except Refusal as refusal:
            refusals.show(refusal, form)
            sector = db.session.get(SectorAgreement, sector_id)
        else:
            commit_and_send()
            flash(_("Sector agreement %(name)s saved.", name=sector.sector_name), "success")
            return redirect(url_for("employers_admin.sectors"))
    return render_template("employers/admin/sector_form.html", form=form, sector=sector), (
        400 if form.is_submitted() else 200)


@bp.get("/agreements")
@role_required(Role.ADMIN, Role.RECRUITER)
def agreements():
    # Two lists on one page, each with its own page number, each link keeping the other's.
    per_page = current_app.config["STAFF_LIST_PAGE_SIZE"]
    agreements = paging.numbered(
        db.select(Agreement).options(joinedload(Agreement.employer),
                                     joinedload(Agreement.reservist))
        .order_by(Agreement.id.desc()), request.args, per_page,
        answers_page=request.args.get("answers_page", ""))
    answers = paging.numbered(periods.answers_newest_first(), request.args, per_page,
                              name="answers_page", page=request.args.get("page", ""))
    return render_template("employers/admin/agreements.html", agreements=agreements,
                           answers=answers)


def _decision_form() -> JoinDecisionForm:
    form = JoinDecisionForm()
    form.verified_by.choices = [(code, str(label)) for code, label in
                                joining.VERIFICATIONS.items()]
    return form


@bp.get("/join-requests")
@role_required(Role.ADMIN)
def join_requests():
    return render_template("employers/admin/join_requests.html",
                           requests=joining.awaiting_defence(), form=_decision_form())


@bp.post("/join-requests/<int:request_id>/<decision>")
@role_required(Role.ADMIN)
def decide_join(request_id: int, decision: str):
    if decision not in ("approve", "refuse"):
        abort(404)
    db.session.get(JoinRequest, request_id) or abort(404)
    form = _decision_form()
    if not form.validate_on_submit():
        abort(400)
    try:
        joining.decide(current_user, request_id, approve=decision == "approve",
                       verified_by=form.verified_by.data or "", note=form.note.data or "")
    except Refusal as refusal:
        refusals.show(refusal)
        return redirect(url_for("employers_admin.join_requests"))
    commit_and_send()
    flash(_("Access given.") if decision == "approve" else _("Request refused."), "success")
    return redirect(url_for("employers_admin.join_requests"))


@bp.get("/statement-reviews")
@role_required(Role.ADMIN)
def statement_reviews_queue():
    return _reviews_page(StatementAnswerForm(), None)


def _reviews_page(form, failed_id, status=200):
    form.outcome.choices = list(statement_reviews.OUTCOMES.items())
    return render_template("employers/admin/statement_reviews.html", form=form,
                           failed_id=failed_id, reviews=statement_reviews.waiting(),
                           outcomes=statement_reviews.OUTCOMES), status


@bp.post("/statement-reviews/<int:request_id>")
@role_required(Role.ADMIN)
def answer_statement_review(request_id: int):
    db.session.get(StatementReview, request_id) or abort(404)
    form = StatementAnswerForm()
    if form.validate_on_submit():
        try:
            statement_reviews.answer(current_user, request_id, form.outcome.data or "",
                                     form.answer.data, corrected=form.corrected.data)
        except Refusal as refusal:
            refusals.show(refusal, form)
        else:
            commit_and_send()
            flash(_("Answer sent."), "success")
            return redirect(url_for("employers_admin.statement_reviews_queue"))
    return _reviews_page(form, request_id, 400)


@bp.route("/public-employers", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def public_list():
    """The public employers: notified of each reservist instead of signing an agreement."""
    form = PublicEmployerForm()
    if form.validate_on_submit():
        try:
            employer = public_employers.mark(current_user, form.enterprise_number.data,
                                             form.name.data)
        except Refusal as refusal:
            refusals.show(refusal, form)
        else:
            commit_and_send()
            flash(_("%(name)s is on the list of public employers.", name=employer.name),
                  "success")
            return redirect(url_for("employers_admin.public_list"))
    return render_template("employers/admin/public_employers.html", form=form,
                           employers=public_employers.listed()), (
        400 if form.is_submitted() else 200)


@bp.post("/public-employers/<int:employer_id>/remove")
@role_required(Role.ADMIN)
def public_remove(employer_id: int):
    try:
        employer = public_employers.unmark(current_user, employer_id)
    except Refusal:
        abort(404)
    commit_and_send()
    flash(_("%(name)s is no longer on the list of public employers.", name=employer.name),
          "success")
    return redirect(url_for("employers_admin.public_list"))
