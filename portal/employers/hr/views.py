"""The employer space: the e-mailed link, the enterprise's agreements, signing, colleagues.

Every page starts from the signed-in HR user's memberships: another enterprise's
agreement, period or statement is a 404, whatever its id.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from portal import clock, drafts, i18n, refusals
from portal.accounts import sessions
from portal.accounts.services import find_by_email
from portal.employers import (
    effects,
    joining,
    members,
    periods,
    services,
    signin,
    statement_reviews,
    statements,
    workflow,
)
from portal.employers.hr.forms import (
    BankAccountForm,
    ColleagueForm,
    EmployerForm,
    JoinForm,
    OpenLinkForm,
    PeriodAnswerForm,
    ReasonForm,
    SignForm,
    SignInLinkForm,
    StatementReviewForm,
)
from portal.employers.models import (
    Agreement,
    AgreementStatus,
    Employer,
    JoinRequest,
    PeriodAnswer,
)
from portal.employers.terms import euros, text_template
from portal.employers.web import commit_and_send
from portal.extensions import db, limiter
from portal.letters.models import Letter
from portal.letters.services import new_reference
from portal.refusals import Refusal
from portal.security import (
    Role,
    private_file,
    public,
    role_required,
    safe_next,
    secret_in_url,
)

bp = Blueprint("employers_hr", __name__, url_prefix="/employer")


def _employer_or_404(employer_id: int) -> Employer:
    employer = db.session.get(Employer, employer_id)
    if employer is None or not services.is_member(current_user, employer.id):
        abort(404)
    return employer


def _agreement_or_404(agreement_id: int) -> Agreement:
    return services.agreement_for_member(current_user, agreement_id) or abort(404)


# ------------------------------------------------------------------ the e-mailed link


def _sign_in(user) -> None:
    """A server-side session for the link's user and a new session cookie (whatever the
    browser held before is dropped). Employers need no second factor."""
    sessions.start(user, "link", request.remote_addr or "",
                   request.headers.get("User-Agent", ""))
    db.session.commit()
    sessions.new_cookie(user)


@bp.route("/link/<secret>", methods=["GET", "POST"])
@public
@secret_in_url()
def open_link(secret: str):
    """Page 1 of at most 3: who you are (only when new), then straight to the agreement."""
    try:
        link = services.link_for(secret)
        if current_user.is_authenticated and current_user.email != link.email:
            raise Refusal(_("This link was sent to another e-mail address than the one you "
                            "are logged in with. Log out first, then open the link again."))
    except Refusal as refusal:
        refusals.show(refusal)
        return render_template("employers/hr/link_refused.html"), 400
    known = find_by_email(link.email)
    language = services.link_language(link)
    form = OpenLinkForm()
    if request.method == "GET":
        form.language.data = language
    if form.validate_on_submit():
        try:
            user, link = services.open_link(
                secret, current_user, first_name=form.first_name.data or "",
                last_name=form.last_name.data or "", language=form.language.data)
        except Refusal as refusal:
            refusals.show(refusal, form)
            if not refusal.field:
                return render_template("employers/hr/link_refused.html"), 400
        else:
            commit_and_send()
            _sign_in(user)
            if link.agreement_id is not None:
                return redirect(url_for("employers_hr.agreement", agreement_id=link.agreement_id))
            return redirect(url_for("employers_hr.enterprise", employer_id=link.employer_id))
    status = 400 if form.errors else 200
    # In the language the HR contact was written to, unless they are signed in or chose one.
    chosen = current_user.is_authenticated or any(
        i18n.valid(value) for value in (request.args.get(i18n.COOKIE),
                                        request.cookies.get(i18n.COOKIE)))
    with i18n.locale(i18n.current() if chosen else language):
        return render_template("employers/hr/open_link.html", form=form, link=link,
                               known=known), status


def _link_limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(_link_limit, methods=["POST"], scope="employers-sign-in")
def sign_in():
    """An HR user without a password asks for a sign-in link (the same answer whether or
    not the address has an employer account)."""
    next_path = safe_next(request.values.get("next"), "")
    form = SignInLinkForm()
    if form.validate_on_submit():
        signin.send(form.email.data.strip().lower(), next_path)
        db.session.commit()
        return render_template("employers/hr/sign_in_sent.html", email=form.email.data)
    return render_template("employers/hr/sign_in.html", form=form, next_path=next_path), (
        400 if form.errors else 200)


def _sign_in_link_refused():
    db.session.rollback()
    return render_template("employers/hr/link_refused.html", message=_(
        "This sign-in link has expired or was already used. Ask for a new one.")), 400


@bp.route("/sign-in/<token>", methods=["GET", "POST"])
@public
@secret_in_url()
def sign_in_with_link(token: str):
    found = signin.load(token)
    if found is None:
        return _sign_in_link_refused()
    user, next_path = found
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        if not signin.use(user):  # pressed twice at once: the other press signed in
            return _sign_in_link_refused()
        _sign_in(user)
        return redirect(safe_next(next_path, url_for("employers_hr.home")))
    return render_template("employers/hr/sign_in_confirm.html", user=user, form=form)


# ------------------------------------------------------------------ the enterprise's agreements


@bp.get("/")
@role_required(Role.EMPLOYER)
def home():
    employers = services.employers_of(current_user)
    rows = [(e, services.agreements_of_employer(e.id)) for e in employers]
    return render_template("employers/hr/home.html", rows=rows, year=clock.today().year,
                           contact_agreements=members.contact_agreements(current_user))


@bp.get("/agreements/<int:agreement_id>")
@role_required(Role.EMPLOYER)
def agreement(agreement_id: int):
    item = _agreement_or_404(agreement_id)
    kept = drafts.take()  # the signing form, sent after the session had ended
    return _agreement_page(item, sign_form=SignForm(formdata=kept) if kept else None)


def _agreement_page(item: Agreement, sign_form=None, reason_form=None, status=200,
                    join_form=None):
    if sign_form is None:
        sign_form = SignForm()
        sign_form.name.data = current_user.full_name
        sign_form.fill(item.employer, current_user)
    sign_form.terms_id.data = item.terms_id
    sign_form.version.data = item.version
    reason_form = reason_form or ReasonForm()
    reason_form.version.data = item.version
    letter = db.session.scalar(db.select(Letter).where(
        Letter.subject_type == "Agreement", Letter.subject_id == str(item.id))
        .order_by(Letter.id.desc()).limit(1))
    return render_template(
        "employers/hr/agreement.html", agreement=item, terms=item.terms,
        compensation=euros(item.terms.compensation_cents),
        terms_text=text_template(item.terms.text_version), sign_form=sign_form,
        reason_form=reason_form, letter=letter,
        actions=workflow.allowed_actions(item, Role.EMPLOYER),
        periods=periods.for_agreement(item) if item.status == AgreementStatus.SIGNED else [],
        member=services.is_member(current_user, item.employer_id),
        join_request=joining.open_request(item.employer_id, current_user.id),
        join_form=join_form or JoinForm(prefix="join"),
        answer_form=PeriodAnswerForm(formdata=None),
    ), status


@bp.get("/agreements/<int:agreement_id>/conditions")
@role_required(Role.EMPLOYER)
def conditions(agreement_id: int):
    """The agreement's conditions in full, on a page of their own to read or print: those
    proposed, or once signed those signed."""
    item = _agreement_or_404(agreement_id)
    return render_template("employers/hr/conditions.html", agreement=item, terms=item.terms,
                           compensation=euros(item.terms.compensation_cents),
                           terms_text=text_template(item.terms.text_version))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.post("/agreements/<int:agreement_id>/sign")
@drafts.kept(page="employers_hr.agreement")
@role_required(Role.EMPLOYER)
def sign(agreement_id: int):
    item = _agreement_or_404(agreement_id)
    form = SignForm()
    if not form.validate_on_submit():
        return _agreement_page(item, sign_form=form, status=400)
    try:
        services.sign(current_user, item, name=form.name.data, function=form.function.data,
                      terms_id=_int(form.terms_id.data), version=_int(form.version.data),
                      address=form.address(), contact=form.contact())
    except Refusal as refusal:
        refusals.show(refusal, form)
        item = _agreement_or_404(agreement_id)
        return _agreement_page(item, sign_form=form, status=400)
    commit_and_send()
    flash(_("The agreement is signed. We sent the agreement letter to you and to the "
            "reservist."), "success")
    return redirect(url_for("employers_hr.agreement", agreement_id=item.id))


@bp.post("/agreements/<int:agreement_id>/<action>")
@role_required(Role.EMPLOYER)
def move(agreement_id: int, action: str):
    item = _agreement_or_404(agreement_id)
    if action not in ("decline", "suspend", "resume", "end"):
        abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _agreement_page(item, reason_form=form, status=400)
    try:
        workflow.transition(item, action, current_user, form.reason.data,
                            version=_int(form.version.data))
    except Refusal as refusal:
        refusals.show(refusal, form)
        item = _agreement_or_404(agreement_id)
        return _agreement_page(item, reason_form=form, status=400)
    commit_and_send()
    flash(effects.SUBJECTS[action], "success")
    return redirect(url_for("employers_hr.agreement", agreement_id=item.id))


@bp.get("/agreements/<int:agreement_id>/letters/<string(length=22):public_id>.pdf")
@role_required(Role.EMPLOYER)
def letter(agreement_id: int, public_id: str):
    item = _agreement_or_404(agreement_id)
    found = db.session.scalar(db.select(Letter).where(Letter.public_id == public_id))
    if found is None or found.subject_type != "Agreement" or found.subject_id != str(item.id):
        abort(404)
    return private_file(found.pdf, "application/pdf", f"{found.reference}.pdf",
                        etag=found.sha256)


@bp.post("/agreements/<int:agreement_id>/join")
@role_required(Role.EMPLOYER)
def request_join(agreement_id: int):
    """The contact of one agreement asks for access to the whole enterprise."""
    item = _agreement_or_404(agreement_id)
    form = JoinForm(prefix="join")
    if not form.validate_on_submit():
        return _agreement_page(item, join_form=form, status=400)
    try:
        joining.request_join(current_user, item, function=form.function.data)
    except Refusal as refusal:
        refusals.show(refusal, form)
        item = _agreement_or_404(agreement_id)
        return _agreement_page(item, join_form=form, status=400)
    commit_and_send()
    flash(_("Your request is sent. You will get an e-mail once it is answered."), "success")
    return redirect(url_for("employers_hr.agreement", agreement_id=item.id))


@bp.post("/enterprises/<int:employer_id>/join-requests/<int:request_id>/<decision>")
@role_required(Role.EMPLOYER)
def decide_join(employer_id: int, request_id: int, decision: str):
    employer = _employer_or_404(employer_id)
    if decision not in ("approve", "refuse"):
        abort(404)
    request_row = db.session.get(JoinRequest, request_id)
    if request_row is None or request_row.employer_id != employer.id:
        abort(404)
    try:
        joining.decide(current_user, request_row.id, approve=decision == "approve")
    except Refusal as refusal:
        refusals.show(refusal)
        return redirect(url_for("employers_hr.enterprise", employer_id=employer.id))
    commit_and_send()
    flash(_("Access given.") if decision == "approve" else _("Request refused."), "success")
    return redirect(url_for("employers_hr.enterprise", employer_id=employer.id))


# ------------------------------------------------------------------ enterprise and colleagues


@bp.route("/enterprises/<int:employer_id>", methods=["GET", "POST"])
@role_required(Role.EMPLOYER)
def enterprise(employer_id: int):
    employer = _employer_or_404(employer_id)
    form = EmployerForm(obj=employer)
    if form.validate_on_submit():
        try:
            services.update_employer(current_user, employer,
                                     joint_committee=form.joint_committee.data,
                                     language=form.language.data, **_postal(form, employer))
        except Refusal as refusal:
            refusals.show(refusal, form)
            employer = _employer_or_404(employer_id)
        else:
            commit_and_send()
            flash(_("Saved."), "success")
            return redirect(url_for("employers_hr.enterprise", employer_id=employer.id))
    return _enterprise_page(employer, form, ColleagueForm(),
                            400 if form.is_submitted() else 200)


def _postal(form: EmployerForm, employer: Employer) -> dict:
    """The address and contact person to store: left out while the enterprise has none and
    the form gives none (its joint committee can be saved before its address is known)."""
    address, contact = form.address(), form.contact()
    return {"address": address if employer.has_postal_address or any(address.values())
            else None,
            "contact": contact if employer.contact_name or any(contact.values()) else None}


def _enterprise_page(employer, form, colleague_form, status=200, bank_form=None):
    member = services.membership(current_user, employer.id)
    requests = joining.pending_for(employer.id) if member is not None and member.is_admin else []
    if bank_form is None:
        bank_form = BankAccountForm(formdata=None)
        bank_form.iban.data = statements.format_iban(employer.iban)
    return render_template("employers/hr/enterprise.html", employer=employer, form=form,
                           colleague_form=colleague_form, member=member,
                           members=effects.hr_users(employer.id), bank_form=bank_form,
                           join_requests=requests), status


@bp.post("/enterprises/<int:employer_id>/colleagues")
@role_required(Role.EMPLOYER)
def invite(employer_id: int):
    employer = _employer_or_404(employer_id)
    form = ColleagueForm()
    if form.validate_on_submit():
        try:
            services.invite_colleague(current_user, employer, form.email.data,
                                      admin=form.admin.data)
        except Refusal as refusal:
            refusals.show(refusal, form)
            employer = _employer_or_404(employer_id)
        else:
            commit_and_send()
            flash(_("We sent your colleague a link."), "success")
            return redirect(url_for("employers_hr.enterprise", employer_id=employer.id))
    return _enterprise_page(employer, EmployerForm(obj=employer), form, 400)


# ------------------------------------------------------------------ training periods


@bp.post("/agreements/<int:agreement_id>/periods/<key>/<answer>")
@role_required(Role.EMPLOYER)
def answer_period(agreement_id: int, key: str, answer: str):
    item = _agreement_or_404(agreement_id)
    if answer not in ("confirm", "decline"):
        abort(404)
    period = periods.source().period(key)
    known = db.session.scalar(db.select(PeriodAnswer.id).where(
        PeriodAnswer.agreement_id == item.id, PeriodAnswer.period_key == key))
    # Only this reservist's periods exist on this page (a cancelled one it answered before
    # gets its message below).
    if (period is None and known is None) or (
            period is not None and period.reservist_id != item.reservist_id):
        abort(404)
    form = PeriodAnswerForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("employers_hr.agreement", agreement_id=item.id))
    try:
        periods.answer(current_user, item, key, revision=form.revision.data or "",
                       confirm=answer == "confirm", reason=form.reason.data or "",
                       proposed_date=form.proposed_date.data)
    except Refusal as refusal:
        refusals.show(refusal)
        return redirect(url_for("employers_hr.agreement", agreement_id=item.id))
    commit_and_send()
    flash(_("Your answer is saved; the reservist and the unit see it now."), "success")
    return redirect(url_for("employers_hr.agreement", agreement_id=item.id))


# ------------------------------------------------------------------ compensation statements


def _statement(employer_id: int, year: int):
    employer = _employer_or_404(employer_id)
    if not 2000 <= year <= 2100:
        abort(404)
    return statements, statements.statement_for(employer, year)


@bp.get("/enterprises/<int:employer_id>/statements/<int:year>")
@role_required(Role.EMPLOYER)
def statement(employer_id: int, year: int):
    _module, item = _statement(employer_id, year)
    return _statement_page(item, StatementReviewForm())


def _statement_page(item, form, status=200):
    form.line.choices = [("", _("The whole statement"))] + [
        (str(line.reservist_id), line.reservist) for line in item.lines]
    return render_template(
        "employers/hr/statement.html", statement=item, form=form,
        reviews=statement_reviews.for_statement(item.employer.id, item.year),
        may_contest=statement_reviews.is_open(item.year, clock.today()),
        deadline=statement_reviews.deadline(item.year), outcomes=statement_reviews.OUTCOMES,
    ), status


@bp.post("/enterprises/<int:employer_id>/statements/<int:year>/review")
@role_required(Role.EMPLOYER)
def contest_statement(employer_id: int, year: int):
    _module, item = _statement(employer_id, year)
    form = StatementReviewForm()
    if form.validate_on_submit():
        try:
            statement_reviews.ask(current_user, item.employer, year, form.reason.data,
                                  clock.today(), line=_int(form.line.data))
        except Refusal as refusal:
            refusals.show(refusal, form)
        else:
            commit_and_send()
            flash(_("Your request is sent. Defence will answer it by e-mail."), "success")
            return redirect(url_for("employers_hr.statement", employer_id=employer_id,
                                    year=year))
    return _statement_page(item, form, 400)


@bp.get("/enterprises/<int:employer_id>/statements/<int:year>.pdf")
@role_required(Role.EMPLOYER)
def statement_pdf(employer_id: int, year: int):
    module, item = _statement(employer_id, year)
    pdf, _pages = module.render_pdf(item, new_reference("statement"))
    return private_file(pdf, "application/pdf", f"{module.file_stem(item)}.pdf")


@bp.get("/enterprises/<int:employer_id>/statements/<int:year>.csv")
@role_required(Role.EMPLOYER)
def statement_csv(employer_id: int, year: int):
    module, item = _statement(employer_id, year)
    return private_file(module.to_csv(item).encode("utf-8-sig"), "text/csv",
                        f"{module.file_stem(item)}.csv", attachment=True)
