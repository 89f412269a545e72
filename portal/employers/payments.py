"""Where Defence pays an enterprise's compensation: the account (IBAN) its HR users give;
and what it is counted on: a reservist's working time at the enterprise (pro rata).

A change of account is audited and told to every HR user of the enterprise by e-mail (an
account changed by someone else, or by someone who took over a colleague's session, is
then noticed before Defence pays into it)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from stdnum import iban as ibans

from portal import audit, mail, outbox
from portal.employers import effects, enterprise
from portal.employers.members import is_member
from portal.employers.models import Agreement, Employer
from portal.extensions import db
from portal.refusals import Refusal

# The working time an agreement records, in percent of full time (the form's bounds).
WORK_PERCENT_RANGE = (1, 100)
CHANGED_SUBJECT = _l("The account for the Reserve compensation was changed")


def masked(iban: str | None) -> str:
    """An IBAN as the audit log and e-mails show it: its country and last four digits."""
    return f"{iban[:2]} … {iban[-4:]}" if iban else ""


def set_account(actor, employer: Employer, raw: str | None) -> bool:
    """An HR user of the enterprise gives or changes its account (empty: removes it).
    Returns whether it changed. Flushes; the e-mails follow the commit."""
    if not is_member(actor, employer.id):
        raise Refusal(_("You are not allowed to take this action."))
    value = enterprise.bank_account(raw)
    if value == employer.iban:
        return False
    before, employer.iban = employer.iban, value
    db.session.flush()
    audit.record(actor, "employer.account_changed", employer, before=masked(before),
                 after=masked(value))
    link = mail.external_url("employers_hr.enterprise", employer_id=employer.id)
    now = ibans.format(value) if value else None
    for user in effects.hr_users(employer.id):
        first = _l("%(name)s changed the account into which Defence pays the Reserve "
                   "compensation of %(employer)s.", name=actor.full_name,
                   employer=employer.name)
        second = (_l("The new account: %(iban)s.", iban=now) if now else
                  _l("The enterprise has no account for the compensation any more."))
        outbox.later(user.email, "notice", user.language, CHANGED_SUBJECT, formal=True,
                     name=user.full_name or user.email, link=link, link_label=None,
                     # TRANSLATORS: formal (to an enterprise's HR user)
                     lines=(first, second, _l("If you did not expect this change, check it "
                                              "with your colleagues and correct it.")))
    return True


def set_work_percent(actor, agreement: Agreement, raw) -> bool:
    """An HR user who answers for the agreement records the reservist's working time (in
    percent of full time); the statements count compensation and leave pro rata. Returns
    whether it changed. Flushes."""
    if not agreement.is_live:
        # TRANSLATORS: formal (to an enterprise's HR user)
        raise Refusal(_("This agreement no longer holds: its working time cannot change."))
    low, high = WORK_PERCENT_RANGE
    try:
        value = int(str(raw or "").strip().rstrip("%").strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        # TRANSLATORS: formal (to an enterprise's HR user)
        raise Refusal(_("Give the working time as a whole number from %(low)d to %(high)d.",
                        low=low, high=high), "work_percent")
    if value == agreement.work_percent:
        return False
    before, agreement.work_percent = agreement.work_percent, value
    db.session.flush()
    audit.record(actor, "agreement.work_percent_changed", agreement, before=before, after=value,
                 employer_id=agreement.employer_id)
    return True
