"""What the compensation is paid into and counted on: the enterprise's account (on the
enterprise's page) and a reservist's working time (on the agreement's page), set by the HR
users who answer for them."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import refusals
from portal.employers import payments
from portal.employers.hr.forms import BankAccountForm, ColleagueForm, EmployerForm
from portal.employers.hr.views import _agreement_or_404, _employer_or_404, _enterprise_page
from portal.employers.web import commit_and_send
from portal.refusals import Refusal
from portal.security import Role, role_required

bp = Blueprint("employers_payment", __name__, url_prefix="/employer")


@bp.post("/enterprises/<int:employer_id>/account")
@role_required(Role.EMPLOYER)
def account(employer_id: int):
    employer = _employer_or_404(employer_id)
    form = BankAccountForm()
    if form.validate_on_submit():
        try:
            changed = payments.set_account(current_user, employer, form.iban.data)
        except Refusal as refusal:
            refusals.show(refusal, form)
            employer = _employer_or_404(employer_id)
        else:
            commit_and_send()
            if changed:
                flash(_("The account is saved. Every HR user of the enterprise gets an e-mail "
                        "about the change."), "success")
            else:
                flash(_("The account was already this one: nothing changed."), "success")
            return redirect(url_for("employers_hr.enterprise", employer_id=employer.id,
                                    _anchor="account"))
    return _enterprise_page(employer, EmployerForm(formdata=None, obj=employer),
                            ColleagueForm(formdata=None), 400,
                            bank_form=form)


@bp.post("/agreements/<int:agreement_id>/working-time")
@role_required(Role.EMPLOYER)
def working_time(agreement_id: int):
    agreement = _agreement_or_404(agreement_id)
    back = redirect(url_for("employers_hr.agreement", agreement_id=agreement.id,
                            _anchor="working-time"))
    # The page-wide CSRF check (CSRFProtect) covers this form.
    try:
        changed = payments.set_work_percent(current_user, agreement,
                                            request.form.get("work_percent"))
    except Refusal as refusal:
        refusals.show(refusal)
        return back
    commit_and_send()
    flash(_("The working time is saved: the statements count it from now on.") if changed
          else _("The working time was already this one: nothing changed."), "success")
    return back
