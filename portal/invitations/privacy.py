"""The invitations domain's share: register data of a person and their invitations."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from portal import privacy_registry as registry
from portal.accounts.models import User
from portal.accounts.privacy import ERASED_DOMAIN
from portal.invitations.models import Cohort, Invitation, Person
from portal.letters.models import Letter

LABELS = {
    "cohort": _l("Cohort"),
    "first_names": _l("First names"),
    "last_name": _l("Last name"),
    "birth_date": _l("Date of birth"),
    "sex": _l("Sex"),
    "address": _l("Address"),
    "region": _l("Region"),
    "register_language": _l("Language in the National Register"),
    "language": _l("Language of our letters"),
    "national_number_held": _l("National register number still held"),
    "invitations": _l("Invitations"),
    "issued_at": _l("Issued on"),
    "expires_on": _l("Valid until"),
    "used_at": _l("Used on"),
}


def export(user: User) -> dict | None:
    person = user.person
    if person is None:
        return None
    return {
        "cohort": person.cohort.name if person.cohort else None,
        "first_names": person.first_names,
        "last_name": person.last_name,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "address": ", ".join(person.address_lines),
        "region": person.region,
        "register_language": person.register_language,
        "language": person.language,
        # The number itself never leaves the portal (exports, e-mails, URLs): only whether
        # it is still held.
        "national_number_held": person.national_number is not None,
        "invitations": registry.rows(person.invitations, "reference", "issued_at",
                                     "expires_on", "used_at"),
    }


def erase(user: User, actor, now, **_kw) -> registry.Erased:
    person = user.person
    if person is None:
        return registry.Erased()
    invitations = registry.delete_rows(Invitation, Invitation.person_id == person.id)
    # The keyed hash of the register number stays (nothing else of the person): without it
    # the next register extract would invite the person again.
    person.national_number = None
    person.first_names = person.last_name = ""
    person.street = person.house_number = person.box = ""
    person.municipality = ""
    person.nis_code = None
    user.person = None
    return registry.Erased(
        counts={"register_data": 1, "invitations": invitations},
        kept=[registry.Kept(
            registry.N_("A keyed hash of your national register number"), None,
            registry.N_("So that a later National Register extract does not invite you "
                        "again; it cannot be turned back into the number."))])


def deletion_dates(user: User, days: dict) -> list[registry.DeletionDate]:
    person = user.person
    if person is None or person.cohort is None:
        return []
    return [registry.DeletionDate(
        _l("Your data from the National Register"), None,
        _l("Kept with your account; deleted %(days)s days after your account is closed.",
           days=days["persons_never_signed_up"]))]


def purge_persons(cutoff, now, dry_run: bool) -> int:
    """People of an expired cohort without an account: their register data, remaining
    invitations and invitation letters."""
    erased = select(User.id).where(User.active.is_(False),
                                   User.email.like(f"%@{ERASED_DOMAIN}"))
    doomed = select(Person.id).where(
        Person.cohort_id.in_(select(Cohort.id).where(Cohort.expires_on < cutoff.date())),
        # Never signed up, or their account was closed by erasure or inactivity.
        or_(Person.user_id.is_(None), Person.user_id.in_(erased)),
    )
    return registry.count_or_remove(doomed, _delete_persons, dry_run=dry_run, chunk=None)


def _delete_persons(ids) -> None:
    registry.delete_children(ids, Letter.person_id, Invitation.person_id)
    registry.delete_rows(Person, Person.id.in_(ids))


_INVITING = _l("Invite the people of a cohort to the service year")
_REGISTER = _l("Name, date of birth, sex, address, language and national register number "
               "from the National Register")

PART = registry.Part(
    name="invitations",
    label=_l("Your data from the National Register and your invitations"),
    export=export,
    erase=erase,
    deletion_dates=deletion_dates,
    labels=LABELS,
    order=30,
    rules=(
        registry.Rule(
            kind="invitations_unused",
            label=_l("Invitation codes not taken up"),
            purpose=_INVITING,
            legal_basis=registry.PUBLIC_TASK_SERVICE_YEAR,
            categories=_l("Keyed hash of the invitation code, reference, dates"),
            since=_l("the end of the invitation's validity"),
            purge=registry.older(Invitation.expires_on, Invitation.used_at.is_(None)),
        ),
        registry.Rule(
            kind="persons_never_signed_up",
            label=_l("National Register data of people who never signed up"),
            purpose=_INVITING,
            legal_basis=registry.PUBLIC_TASK_SERVICE_YEAR,
            categories=_REGISTER,
            since=_l("the end of the cohort's invitations"),
            purge=purge_persons,
            recipients=_l("The printer of the invitation letters (processor)"),
        ),
    ),
)
