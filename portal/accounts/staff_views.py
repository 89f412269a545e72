"""Staff start page and the administrators' management of staff accounts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.accounts import forms, reauth, second_factor, services
from portal.accounts.models import User
from portal.extensions import db
from portal.mail import deliver
from portal.navigation import tasks_for
from portal.security import STAFF, Role, role_required

bp = Blueprint("staff", __name__)

ROLE_LABELS = {
    Role.CITIZEN: _l("Citizen"),
    Role.RECRUITER: _l("Recruiter"),
    Role.ADMIN: _l("Administrator"),
    Role.EMPLOYER: _l("Employer"),
    Role.UNIT_STAFF: _l("Unit staff"),
    Role.MEDICAL_STAFF: _l("Medical staff"),
    Role.SECURITY_OFFICER: _l("Security officer"),
}


@bp.get("/staff")
@role_required(*STAFF)
def home():
    return render_template("staff/home.html", tasks=tasks_for(current_user))


def _staff_page(form, status=200):
    users = db.session.scalars(
        db.select(User).where(User.role != Role.CITIZEN).order_by(User.role, User.email)
    ).all()
    return render_template("staff/list.html", users=users, form=form,
                           role_labels=ROLE_LABELS), status


@bp.get("/admin/staff")
@role_required(Role.ADMIN)
def list_staff():
    return _staff_page(forms.StaffForm(formdata=None))


@bp.post("/admin/staff")
@role_required(Role.ADMIN)
@reauth.required
def create_staff():
    form = forms.StaffForm()
    if not form.validate_on_submit():
        return _staff_page(form, status=400)
    try:
        user = services.create_staff(current_user, form.email.data, form.role.data,
                                     form.first_name.data, form.last_name.data,
                                     form.language.data)
    except services.EmailTaken:
        db.session.rollback()
        form.email.errors.append(_("Another account already uses this e-mail address."))
        return _staff_page(form, status=400)
    db.session.commit()
    if deliver(services.send_set_password, user):
        flash(_("Account created for %(email)s. They received an e-mail to choose a password.",
                email=user.email), "success")
    return redirect(url_for("staff.list_staff"))


def _staff_member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role == Role.CITIZEN:
        abort(404)
    return user


@bp.post("/admin/staff/<int:user_id>/deactivate")
@role_required(Role.ADMIN)
@reauth.required
def deactivate(user_id: int):
    user = _staff_member(user_id)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("staff.list_staff"))
    services.set_active(current_user, user, False)
    db.session.commit()
    flash(_("The account of %(email)s is deactivated.", email=user.email), "success")
    return redirect(url_for("staff.list_staff"))


@bp.post("/admin/staff/<int:user_id>/reactivate")
@role_required(Role.ADMIN)
@reauth.required
def reactivate(user_id: int):
    user = _staff_member(user_id)
    services.set_active(current_user, user, True)
    db.session.commit()
    flash(_("The account of %(email)s is active again.", email=user.email), "success")
    return redirect(url_for("staff.list_staff"))


@bp.route("/admin/staff/<int:user_id>/federal-login", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def federal_login(user_id: int):
    """The staff member's national register number, without which no federal login (eID,
    itsme) reaches their account; and the federal login linked, which can be removed."""
    user = _staff_member(user_id)
    if request.method == "POST" and not reauth.fresh(current_user):
        return reauth.ask()
    form = forms.StaffNationalNumberForm()
    if user.id != current_user.id and form.validate_on_submit():
        try:
            services.set_national_number(current_user, user, form.national_number.data)
        except ValueError:
            form.national_number.errors.append(_(
                "This is not a valid national register number: check its 11 digits."))
        else:
            db.session.commit()
            flash(_("The national register number of %(email)s is recorded.",
                    email=user.email), "success")
            return redirect(url_for("staff.federal_login", user_id=user.id))
    status = 400 if form.errors else 200
    return render_template("staff/federal_login.html", user=user, form=form,
                           own=user.id == current_user.id), status


@bp.post("/admin/staff/<int:user_id>/federal-login/unlink")
@role_required(Role.ADMIN)
@reauth.required
def unlink_federal_login(user_id: int):
    user = _staff_member(user_id)
    services.unlink_federated(current_user, user)
    db.session.commit()
    flash(_("The eID or itsme login of %(email)s is removed.", email=user.email), "success")
    return redirect(url_for("staff.federal_login", user_id=user.id))


def _member_page(user, form, status=200):
    return render_template("staff/member.html", user=user, form=form,
                           role_labels=ROLE_LABELS, own=user.id == current_user.id,
                           changeable=user.role in services.CHANGEABLE_ROLES,
                           two_step=second_factor.enrolled(user)), status


@bp.get("/admin/staff/<int:user_id>")
@role_required(Role.ADMIN)
def member(user_id: int):
    user = _staff_member(user_id)
    return _member_page(user, forms.StaffRoleForm(formdata=None, role=str(user.role)))


@bp.post("/admin/staff/<int:user_id>/role")
@role_required(Role.ADMIN)
@reauth.required
def change_role(user_id: int):
    user = _staff_member(user_id)
    form = forms.StaffRoleForm()
    if not form.validate_on_submit():
        return _member_page(user, form, status=400)
    try:
        services.change_role(current_user, user, form.role.data)
    except ValueError:
        db.session.rollback()
        form.role.errors.append(_("This account's role cannot be changed here."))
        return _member_page(user, form, status=400)
    db.session.commit()
    flash(_("%(email)s is now: %(role)s.", email=user.email, role=ROLE_LABELS[user.role]),
          "success")
    return redirect(url_for("staff.member", user_id=user.id))


@bp.post("/admin/staff/<int:user_id>/two-step/reset")
@role_required(Role.ADMIN)
@reauth.required
def reset_second_factor(user_id: int):
    """A lost phone: the account enrols a new authenticator at its next login."""
    user = _staff_member(user_id)
    if user.id == current_user.id:
        abort(403)
    second_factor.reset(current_user, user)
    db.session.commit()
    flash(_("Two-step verification of %(email)s is reset: they set it up again at their "
            "next login.", email=user.email), "success")
    return redirect(url_for("staff.member", user_id=user.id))
