"""Citizens download their data and ask for erasure; administrators handle requests and
read the record of processing."""
from __future__ import annotations

import json
import time
from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm

from portal import audit, i18n, paging, refusals
from portal import privacy_registry as registry
from portal.accounts import confirmation
from portal.accounts.models import User
from portal.extensions import db, limiter
from portal.mail import deliver
from portal.models import utcnow
from portal.privacy import services
from portal.privacy.forms import (
    EraseForm,
    EraseWithCodeForm,
    ExportForm,
    ExportWithCodeForm,
    FinishForm,
)
from portal.privacy.models import ErasureRequest, ErasureStatus
from portal.refusals import Refusal
from portal.security import Role, public, role_required

bp = Blueprint("privacy", __name__, url_prefix="/account")
# Who downloads and erases their own data here: citizens, and employers' HR users (people
# outside Defence too). Staff accounts are handled by the administrators.
DATA_SUBJECTS = (Role.CITIZEN, Role.EMPLOYER)
admin = Blueprint("privacy_admin", __name__, url_prefix="/admin/privacy")


def _login_limit_for_export() -> str:
    return current_app.config["LOGIN_LIMIT"]


def _no_store(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


# A download of everything the portal holds is allowed for this long after the account
# holder confirmed it is them (password, or a mailed code for an account without one).
EXPORT_CONFIRMED_KEY = "privacy.export_until"
EXPORT_MINUTES = 10


def _export_confirmed() -> bool:
    return time.time() < float(session.get(EXPORT_CONFIRMED_KEY, 0))


@bp.route("/my-data", methods=["GET", "POST"])
@role_required(*DATA_SUBJECTS)
@limiter.limit(_login_limit_for_export, key_func=lambda: f"privacy-export:{current_user.id}",
               methods=["POST"], scope="privacy-export", deduct_when=lambda r: r.status_code == 400)
def my_data():
    """Confirm it is you, then download: a copied session cookie alone takes nothing."""
    user = current_user._get_current_object()
    by_code = user.password_hash is None
    form = ExportWithCodeForm() if by_code else ExportForm()
    if form.validate_on_submit() and confirmation.it_is_them(user, form, by_code):
        session[EXPORT_CONFIRMED_KEY] = time.time() + EXPORT_MINUTES * 60
        audit.record(user, "privacy.export_confirmed", user)
        db.session.commit()
        return redirect(url_for("privacy.my_data"))
    status = 400 if form.errors else 200
    return _no_store(make_response(render_template(
        "privacy/my_data.html", form=form, by_code=by_code, confirmed=_export_confirmed(),
        code_form=FlaskForm(), code_sent=confirmation.SESSION_KEY in session,
        minutes=current_app.config["ERASURE_CODE_MINUTES"], window=EXPORT_MINUTES), status))


@bp.get("/my-data.json")
@role_required(*DATA_SUBJECTS)
def export_json():
    if not _export_confirmed():
        return redirect(url_for("privacy.my_data"))
    user = current_user._get_current_object()
    document = services.export_document(user, user)
    db.session.commit()
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    return _no_store(send_file(BytesIO(body.encode()), mimetype="application/json",
                               as_attachment=True, download_name="my-data.json"))


@bp.get("/my-data.pdf")
@role_required(*DATA_SUBJECTS)
def export_pdf():
    if not _export_confirmed():
        return redirect(url_for("privacy.my_data"))
    user = current_user._get_current_object()
    pdf = services.export_pdf(user, user)
    db.session.commit()
    return _no_store(send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                               download_name="my-data.pdf"))


def _this_account() -> str:
    return f"privacy-erase:{current_user.get_id()}"


def _refused(response) -> bool:
    return response.status_code == 400


def _login_limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


@bp.route("/erase", methods=["GET", "POST"])
@role_required(*DATA_SUBJECTS)
@limiter.limit(_login_limit, key_func=_this_account, methods=["POST"],
               scope="privacy-erase", deduct_when=_refused)  # wrong passwords or codes
def erase():
    user = current_user._get_current_object()
    # An account without a password (federal login only) confirms with a mailed code.
    by_code = user.password_hash is None
    form = EraseWithCodeForm() if by_code else EraseForm()
    if form.validate_on_submit() and confirmation.it_is_them(user, form, by_code):
        request_ = services.erase(user, user)
        db.session.commit()
        reference, kept = request_.reference, json.loads(request_.kept)
        logout_user()
        session.clear()
        session["privacy.erased"] = {"reference": reference, "kept": kept}
        return redirect(url_for("privacy.erased"))
    status = 400 if form.errors else 200
    return render_template("privacy/erase.html", form=form, by_code=by_code,
                           code_form=FlaskForm(), code_sent=confirmation.SESSION_KEY in session,
                           minutes=current_app.config["ERASURE_CODE_MINUTES"]), status


@bp.post("/erase/code")
@role_required(*DATA_SUBJECTS)
@limiter.limit(_login_limit, key_func=_this_account, scope="privacy-erase-code")
def send_erase_code():
    """Mail a confirmation code to an account that has no password to confirm with."""
    user = current_user._get_current_object()
    back = "privacy.my_data" if request.form.get("for") == "export" else "privacy.erase"
    if user.password_hash is not None or not FlaskForm().validate_on_submit():
        return redirect(url_for(back))
    code, kept = confirmation.new(user)
    if deliver(confirmation.send, user, code, "export" if back == "privacy.my_data" else "erase"):
        session[confirmation.SESSION_KEY] = kept
        flash(_("We sent a confirmation code to %(email)s. It works for %(minutes)d minutes.",
                email=user.email, minutes=current_app.config["ERASURE_CODE_MINUTES"]),
              "success")
    return redirect(url_for(back))


@bp.get("/erased")
@public  # the account is gone by then
def erased():
    outcome = session.get("privacy.erased")
    if outcome is None:
        return redirect(url_for("public.home"))
    return render_template("privacy/erased.html", outcome=outcome)


@admin.get("/requests")
@role_required(Role.ADMIN)
def requests():
    page = paging.numbered(db.select(ErasureRequest).order_by(
        ErasureRequest.status != ErasureStatus.KEEPING, ErasureRequest.id.desc()),
        request.args, current_app.config["STAFF_LIST_PAGE_SIZE"])
    return render_template("privacy/requests.html", page=page, today=utcnow().date())


@admin.route("/requests/<int:request_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def request_detail(request_id: int):
    item = db.session.get(ErasureRequest, request_id)
    if item is None:
        abort(404)
    form = FinishForm()
    if form.validate_on_submit():
        try:
            services.finish(item, current_user, form.note.data or "")
        except Refusal as refusal:
            refusals.show(refusal, form, fields={None: "note"})
        else:
            db.session.commit()
            flash(_("The request is closed."), "success")
            return redirect(url_for("privacy_admin.requests"))
    audit.record(current_user, "privacy.request_viewed", item)
    db.session.commit()
    return render_template(
        "privacy/request.html", item=item, form=form, erased=json.loads(item.erased),
        kept=json.loads(item.kept), account=db.session.get(User, item.user_id),
    ), 400 if form.errors else 200


@admin.get("/record")
@role_required(Role.ADMIN)
def record():
    days = current_app.config["RETENTION_DAYS"]
    rules = registry.rules(current_app)
    covered = {rule.kind for rule in rules}
    return render_template("privacy/record.html", rules=rules, days=days,
                           not_held=[k for k in days if k not in covered],
                           controller=i18n.in_language(current_app.config["PRIVACY_CONTROLLER"]),
                           dpo=current_app.config["PRIVACY_DPO"])
