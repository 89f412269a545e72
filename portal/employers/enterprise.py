"""Checking what people type about an enterprise: its number, its joint committee, its postal
address and its contact person."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from stdnum import iban
from stdnum.be import vat
from stdnum.exceptions import InvalidChecksum, ValidationError

from portal import regions, textclean
from portal.refusals import Refusal

_COMMITTEE = re.compile(r"^\d{3}(\.\d{2}){0,2}$")
# ISO 13616: country, two check digits, then up to 30 letters and digits.
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$")


def enterprise_number(raw: str, field: str = "enterprise_number") -> str:
    """The 10 digits of a valid enterprise number (KBO/BCE), from 0123.456.789, BE0123456789,
    0123 456 789 ...; else a Refusal."""
    return _checked(vat.validate, raw or "", field,
                    unknown=_("This enterprise number does not exist: check its digits."),
                    malformed=_("An enterprise number has 10 digits and starts with 0 or 1, "
                                "e.g. 0123.456.789."))


def _checked(validate, value: str, field: str, *, unknown: str, malformed: str) -> str:
    """What python-stdnum's `validate` makes of `value`; a number whose check digits fail
    is refused as `unknown`, one of the wrong shape as `malformed`."""
    try:
        return validate(value)
    except InvalidChecksum as exc:
        raise Refusal(unknown, field) from exc
    except ValidationError as exc:
        raise Refusal(malformed, field) from exc


def joint_committee(raw: str | None, field: str = "joint_committee") -> str | None:
    """A joint committee number such as 200, 118.03 or 330.01.10; None when left empty."""
    value = (raw or "").strip().replace(" ", "")
    if not value:
        return None
    if not _COMMITTEE.match(value):
        raise Refusal(_("A joint committee number looks like 200 or 118.03."), field)
    return value


def committees(raw: str, field: str = "committees") -> list[str]:
    """A list of joint committee numbers separated by commas or spaces (at least one)."""
    values = [v for v in re.split(r"[,;\s]+", raw or "") if v]
    if not values:
        raise Refusal(_("Give at least one joint committee number."), field)
    checked = []
    for value in values:
        if not _COMMITTEE.match(value):
            raise Refusal(_("%(value)s is not a joint committee number (e.g. 200 or 118.03).",
                            value=value[:20]), field)
        if value not in checked:
            checked.append(value)
    return checked


def covers(committee_list: list[str], committee: str | None) -> bool:
    """Does a sector agreement for these committees cover this employer's committee?
    A committee covers its sub-committees: 118 covers 118.03."""
    if not committee:
        return False
    return any(committee == c or committee.startswith(c + ".") for c in committee_list)


def postal_address(*, street: str | None, house_number: str | None, box: str | None,
                   postcode: str | None, municipality: str | None) -> dict[str, str | None]:
    """The enterprise's postal address, checked field by field: street, number, postcode of
    the region table and municipality are needed (a letter must reach it); the box is not.
    An empty municipality is taken from the region table."""
    values = {name: textclean.line(raw or "").strip() for name, raw in (
        ("street", street), ("house_number", house_number), ("box", box),
        ("postcode", postcode), ("municipality", municipality))}
    if not values["street"]:
        raise Refusal(_("Give the street of the enterprise's postal address."), "street")
    if not values["house_number"]:
        raise Refusal(_("Give the house number."), "house_number")
    info = regions.lookup(values["postcode"].replace(" ", ""))
    if not values["postcode"]:
        raise Refusal(_("Give the postcode."), "postcode")
    if info is None:
        raise Refusal(_("%(postcode)s is not a Belgian postcode we know: check it.",
                        postcode=values["postcode"][:10]), "postcode")
    values["postcode"] = info.postcode
    values["municipality"] = values["municipality"] or info.municipality
    for name, limit in (("street", 120), ("house_number", 12), ("box", 12),
                        ("municipality", 80)):
        if len(values[name]) > limit:
            raise Refusal(_("This is too long: at most %(count)d characters.", count=limit),
                          name)
    values["box"] = values["box"] or None
    return values

# Longest contact name or function (the columns' size).
CONTACT_MAX = 200


def contact_person(*, name: str | None, function: str | None) -> dict[str, str | None]:
    """Whom the enterprise's letters are addressed to: a name is needed, a function not."""
    name = textclean.line(name or "").strip()
    function = textclean.line(function or "").strip()
    if not name:
        raise Refusal(_("Give the name of the person our letters are addressed to."),
                      "contact_name")
    if len(name) > CONTACT_MAX or len(function) > CONTACT_MAX:
        raise Refusal(_("This is too long: at most %(count)d characters.", count=CONTACT_MAX),
                      "contact_name" if len(name) > CONTACT_MAX else "contact_function")
    return {"contact_name": name, "contact_function": function or None}


def bank_account(raw: str | None, field: str = "iban") -> str | None:
    """The IBAN of the account Defence pays into, without spaces (BE71 0961 2345 6769 ->
    BE71096123456769); None when left empty; else a Refusal."""
    value = iban.compact(raw or "")
    if not value:
        return None
    # TRANSLATORS: formal (to an enterprise's HR user)
    malformed = _("Give the account number as an IBAN: two letters for the country, then its "
                  "digits (a Belgian one starts with BE).")
    if not _IBAN_SHAPE.match(value):  # python-stdnum checks the check digits first
        raise Refusal(malformed, field)
    return _checked(iban.validate, value, field, malformed=malformed,
                    # TRANSLATORS: formal (to an enterprise's HR user)
                    unknown=_("This account number (IBAN) does not exist: check its digits."))
