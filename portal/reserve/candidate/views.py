"""The candidate's and reservist's pages: the end-of-year choice, the pillars, applying,
the engagement and its proofs, the training year and the private calendar feed."""
from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from portal import audit, clock, drafts, i18n, paging, refusals, secret_addresses
from portal.accounts.guards import verified_required
from portal.accounts.models import User
from portal.extensions import db
from portal.letters import pending
from portal.letters.models import Letter
from portal.refusals import Refusal
from portal.reserve import engagements, feed, proofs, training, vocab, workflow, year_end
from portal.reserve.candidate import forms
from portal.reserve.models import Assignment, ChoiceStatus, Engagement, Proof
from portal.security import (
    Role,
    login_required,
    private_file,
    public,
    role_required,
    secret_in_url,
)

bp = Blueprint("reserve", __name__, url_prefix="/reserve")
log = logging.getLogger(__name__)


def _own_engagement(engagement_id: int) -> Engagement:
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or engagement.user_id != current_user.id:
        abort(404)
    return engagement


def _own_assignment(assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.user_id != current_user.id:
        abort(404)
    return assignment


# Refusals name the rule's field; the form shows it next to its first input.
FIELD_OF = {"units": "unit_1", "unavailable": "unavailable_1_from"}


def _show_rule_problems(form, found: list[Refusal]) -> None:
    """The service's rules next to the fields the form's own checks found nothing wrong
    with: one submission shows every error (a field left empty keeps its own message)."""
    def own_error(problem: Refusal) -> bool:
        name = FIELD_OF.get(problem.field, problem.field)
        return name in form and bool(form[name].errors)

    kept = [problem for problem in found if not own_error(problem)]
    if kept:
        refusals.show(Refusal.of_all(kept), form, fields=FIELD_OF)


@bp.get("/pillars")
@public
def pillars():
    cfg = current_app.config
    return render_template("reserve/candidate/pillars.html", pillars=vocab.PILLARS,
                           labels=vocab.PILLAR_LABELS,
                           days={"soldier": cfg["RESERVE_MIN_DAYS_SOLDIER"],
                                 "cadre": cfg["RESERVE_MIN_DAYS_CADRE"]},
                           months=cfg["RESERVE_MIN_COMMITMENT_MONTHS"])


@bp.get("")
@role_required(Role.CITIZEN)
def home():
    mine = engagements.for_user(current_user.id)
    return render_template("reserve/candidate/home.html",
                           choice=year_end.latest_choice_for(current_user.id),
                           engagements=mine, vocab=vocab, today=clock.today(),
                           in_progress=engagements.in_progress_for(current_user.id))


@bp.route("/choice", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
@verified_required
def choice():
    open_choice = year_end.open_choice_for(current_user.id)
    if open_choice is None:
        flash(_("There is no choice waiting for you."), "info")
        return redirect(url_for("reserve.home"))
    form = forms.ChoiceForm()
    if form.validate_on_submit():
        if clock.today() > open_choice.deadline:
            form.option.errors = [_("The deadline for this choice has passed (%(date)s). You "
                                    "can still apply to the Reserve directly.",
                                    date=format_date(open_choice.deadline, "long"))]
        elif form.option.data == "reserve":
            return redirect(url_for("reserve.apply"))
        elif request.form.get("confirm") != "yes":
            # An answer cannot be taken back: say what it does, and act only once confirmed.
            return render_template("reserve/candidate/choice_confirm.html", form=form,
                                   choice=open_choice, option=form.option.data,
                                   label=vocab.CHOICE_LABELS[
                                       ChoiceStatus.CAREER if form.option.data == "career"
                                       else ChoiceStatus.LEFT])
        else:
            try:
                year_end.choose(current_user, open_choice, form.option.data)
                db.session.commit()
            except Refusal as err:
                refusals.show(err, form, fields=FIELD_OF)
            else:
                flash(_("Your choice is recorded."), "success")
                return redirect(url_for("reserve.home"))
    return render_template("reserve/candidate/choice.html", form=form, choice=open_choice,
                           today=clock.today()), 200 if not form.errors else 422


def _request_from(form: forms.ApplyForm) -> engagements.Request:
    unit_ids = [getattr(form, f"unit_{i}").data for i in range(1, forms.UNIT_SLOTS + 1)]
    unavailable = []
    for i in range(1, forms.UNAVAILABLE_SLOTS + 1):
        start = getattr(form, f"unavailable_{i}_from").data
        end = getattr(form, f"unavailable_{i}_to").data
        if start or end:
            unavailable.append((start or end, end or start))
    return engagements.Request(
        pillar=form.pillar.data or "", rank_category=form.rank_category.data,
        days_per_year=form.days_per_year.data or 0,
        commitment_months=form.commitment_months.data or 0,
        availability=form.availability.data, unit_ids=[u for u in unit_ids if u],
        preferred_province=form.preferred_province.data or "",
        skill_ids=list(form.skills.data or []), expertise_text=form.expertise_text.data or "",
        unavailable=unavailable, street=form.street.data or "", postcode=form.postcode.data or "",
        motivation=form.motivation.data or "")


@bp.route("/apply", methods=["GET", "POST"])
@drafts.kept
@role_required(Role.CITIZEN)
@verified_required
def apply():
    current = engagements.in_progress_for(current_user.id)
    if current is not None:
        flash(_("You already have a reserve engagement in progress."), "info")
        return redirect(url_for("reserve.engagement", engagement_id=current.id))
    form = forms.ApplyForm()
    language = i18n.current()
    form.set_choices(engagements.active_units(), engagements.needed_skills(), language)
    suggestions = []
    status = 200
    if request.method == "GET":
        kept = drafts.take()  # typed before the session ended
        if kept is not None:
            form.process(formdata=kept)
        person = getattr(current_user, "person", None)
        if person is not None and not form.postcode.data:
            form.postcode.data = person.postcode
            form.street.data = person.address_lines[0]
        form.days_per_year.data = form.days_per_year.data or engagements.minimum_days("soldier")
        form.commitment_months.data = form.commitment_months.data or engagements.minimum_months()
    elif "suggest" in request.form:
        suggestions = engagements.suggest(form.skills.data, form.postcode.data or "",
                                          form.days_per_year.data or 0,
                                          form.pillar.data or None)
    else:
        # The form's checks and the service's rules together: every error in one go.
        valid = form.validate_on_submit()
        found = engagements.problems(_request_from(form))
        if not valid or found:
            _show_rule_problems(form, found)
        else:
            try:
                engagement = engagements.apply(current_user, _request_from(form))
                db.session.commit()
            except Refusal as err:
                refusals.show(err, form, fields=FIELD_OF)
            else:
                flash(_("Your application to the Reserve is in."), "success")
                return redirect(url_for("reserve.engagement", engagement_id=engagement.id))
    if form.errors:
        status = 422
    return render_template(
        "reserve/candidate/apply.html", form=form, suggestions=suggestions,
        suggested_pillar=engagements.suggested_pillar(suggestions),
        choice=year_end.open_choice_for(current_user.id), vocab=vocab,
        minimum={"soldier": engagements.minimum_days("soldier"),
                 "cadre": engagements.minimum_days("nco"),
                 "months": engagements.minimum_months()}), status


@bp.get("/engagements/<int:engagement_id>")
@role_required(Role.CITIZEN)
def engagement(engagement_id: int):
    item = _own_engagement(engagement_id)
    letters = db.session.scalars(db.select(Letter).where(
        Letter.subject_type == "Engagement", Letter.subject_id == str(item.id),
        Letter.user_id == current_user.id).order_by(Letter.id)).all()
    return render_template("reserve/candidate/engagement.html", engagement=item,
                           letters=letters, pending_letters=pending.of_subject(item),
                           vocab=vocab, upload=forms.UploadForm(),
                           help=engagements.STATUS_HELP,
                           can_withdraw="withdraw" in workflow.allowed_actions(item, Role.CITIZEN))


@bp.route("/engagements/<int:engagement_id>/withdraw", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def withdraw(engagement_id: int):
    item = _own_engagement(engagement_id)
    if "withdraw" not in workflow.allowed_actions(item, Role.CITIZEN):
        flash(_("This application can no longer be withdrawn."), "info")
        return redirect(url_for("reserve.engagement", engagement_id=item.id))
    form = FlaskForm()
    if request.method == "GET" or request.form.get("confirm") != "yes":
        # Withdrawing cannot be undone: the page says so, and only its own button acts.
        if request.method == "POST" and not form.validate_on_submit():
            abort(400)
        return render_template("reserve/candidate/withdraw.html", engagement=item, form=form,
                               vocab=vocab)
    if not form.validate_on_submit():
        abort(400)
    try:
        workflow.transition(item, "withdraw", current_user,
                            version=request.form.get("version", type=int))
        db.session.commit()
        flash(_("You withdrew your application to the Reserve."), "success")
    except Refusal as err:
        refusals.show(err)
    return redirect(url_for("reserve.engagement", engagement_id=item.id))


@bp.post("/engagements/<int:engagement_id>/proofs")
@role_required(Role.CITIZEN)
def upload_proof(engagement_id: int):
    item = _own_engagement(engagement_id)
    form = forms.UploadForm()
    if not form.validate_on_submit():
        abort(400)
    upload = form.file.data
    try:
        if upload is None or not getattr(upload, "filename", ""):
            raise Refusal(_("Choose a file to upload."), field="file")
        limit = current_app.config["RESERVE_PROOF_MAX_BYTES"]
        data = upload.stream.read(limit + 1)
        proofs.save(item, current_user, upload.filename, data)
        db.session.commit()
        flash(_("Your file is uploaded."), "success")
    except Refusal as err:
        refusals.show(err)
    return redirect(url_for("reserve.engagement", engagement_id=item.id))


@bp.get("/proofs/<int:proof_id>")
@login_required
def proof(proof_id: int):
    """The file, as an attachment, to its owner and recruiters; anyone else gets a 404."""
    item = db.session.get(Proof, proof_id)
    if item is None or not proofs.readable_by(item, current_user):
        abort(404)
    if item.user_id != current_user.id:
        audit.record(current_user, "reserve.proof_viewed", item)
        db.session.commit()
    response = private_file(proofs.path_of(item).read_bytes(), item.content_type,
                            item.filename, attachment=True)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.get("/year")
@role_required(Role.CITIZEN)
def year():
    chosen = paging.asked_year(request.args)
    item = engagements.in_progress_for(current_user.id)
    summary = training.year_summary(item, chosen) if item else None
    return render_template("reserve/candidate/year.html", engagement=item, year=chosen,
                           summary=summary, vocab=vocab, today=clock.today(),
                           assignments=training.periods_of(current_user.id, chosen,
                                                           include_cancelled=True),
                           form=FlaskForm())


@bp.post("/assignments/<int:assignment_id>/confirm")
@role_required(Role.CITIZEN)
def confirm(assignment_id: int):
    assignment = _own_assignment(assignment_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        training.move(assignment, "confirm", current_user)
        db.session.commit()
        flash(_("You confirmed the period."), "success")
    except Refusal as err:
        refusals.show(err)
    return redirect(url_for("reserve.year", year=assignment.period.starts_on.year))


@bp.route("/assignments/<int:assignment_id>/swap", methods=["GET", "POST"])
@role_required(Role.CITIZEN)
def swap(assignment_id: int):
    assignment = _own_assignment(assignment_id)
    form = forms.SwapForm()
    if form.validate_on_submit():
        try:
            training.move(assignment, "request_swap", current_user, reason=form.reason.data)
            db.session.commit()
        except Refusal as err:
            refusals.show(err, form, fields=FIELD_OF)
        else:
            flash(_("Your request is sent to the unit."), "success")
            return redirect(url_for("reserve.year", year=assignment.period.starts_on.year))
    return render_template("reserve/candidate/swap.html", form=form, assignment=assignment,
                           vocab=vocab), 422 if form.errors else 200


@bp.get("/calendar")
@role_required(Role.CITIZEN)
def calendar():
    sealed = session.pop("reserve_feed_token", None)
    token = feed.unseal(sealed) if sealed else None
    address = feed.Address.of(token) if token else None
    return render_template("reserve/candidate/calendar.html", address=address,
                           current=feed.current(current_user.id), form=FlaskForm())


def _confirm_feed_step(step: str, title: str):
    """Before an address stops working: say what happens to the calendars that read it."""
    if feed.current(current_user.id) is None:
        return redirect(url_for("reserve.calendar"))
    return render_template("reserve/candidate/calendar_confirm.html", step=step, title=title,
                           form=FlaskForm())


@bp.get("/calendar/renew")
@role_required(Role.CITIZEN)
def confirm_renew_feed():
    return _confirm_feed_step("renew", _("Make a new calendar address?"))


@bp.get("/calendar/revoke")
@role_required(Role.CITIZEN)
def confirm_revoke_feed():
    return _confirm_feed_step("revoke", _("Stop your calendar address?"))


@bp.post("/calendar/renew")
@role_required(Role.CITIZEN)
def renew_feed():
    if not FlaskForm().validate_on_submit():
        abort(400)
    if feed.current(current_user.id) is not None and request.form.get("confirmed") != "yes":
        return redirect(url_for("reserve.confirm_renew_feed"))
    token = feed.renew(current_user)
    db.session.commit()
    # Shown once on the next page, never stored (nor sent in a cookie) in the clear.
    session["reserve_feed_token"] = feed.seal(token)
    flash(_("Your new calendar address is ready. Any older address no longer works."),
          "success")
    return redirect(url_for("reserve.calendar"))


@bp.post("/calendar/revoke")
@role_required(Role.CITIZEN)
def revoke_feed():
    if not FlaskForm().validate_on_submit():
        abort(400)
    if request.form.get("confirmed") != "yes":
        return redirect(url_for("reserve.confirm_revoke_feed"))
    if feed.revoke(current_user):
        db.session.commit()
        flash(_("Your calendar address no longer works."), "success")
    return redirect(url_for("reserve.calendar"))


@bp.get("/feed/<token>.ics")
@public
@secret_in_url()
@feed.ADDRESSES.throttled("reserve-feed")
def feed_ics(token: str):
    """The private calendar: anyone holding the address reads it; a revoked one is 404."""
    item = feed.find(token)
    if item is None:
        abort(404)
    user = db.session.get(User, item.user_id)
    try:
        body = feed.calendar_bytes(user)
    except Exception:
        # Flask would log the request's path, which is the secret: name the feed instead.
        log.exception("calendar feed %s could not be made", item.id)
        abort(500)
    feed.mark_read(item)
    db.session.commit()
    return secret_addresses.response(body, "text/calendar", "reserve.ics")
