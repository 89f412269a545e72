"""Checking what people type about an enterprise: its number and its joint committee."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from stdnum.be import vat

from portal.refusals import Refusal

_COMMITTEE = re.compile(r"^\d{3}(\.\d{2}){0,2}$")


def enterprise_number(raw: str, field: str = "enterprise_number") -> str:
    """The 10 digits of a valid enterprise number (KBO/BCE), from 0123.456.789, BE0123456789,
    0123 456 789 ...; else a Refusal."""
    try:
        return vat.validate(raw or "")
    except vat.InvalidChecksum as exc:
        raise Refusal(_("This enterprise number does not exist: check its digits."),
                      field) from exc
    except vat.ValidationError as exc:
        raise Refusal(_("An enterprise number has 10 digits and starts with 0 or 1, "
                        "e.g. 0123.456.789."), field) from exc


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
