"""What a selected candidate is offered, from the intake's settings (Defence sets them per
intake): the lines the offer page and the offer letter print, each in the language of the
page or letter section. An empty setting leaves its line out."""

from __future__ import annotations

from flask_babel import LazyString, format_currency, ngettext
from flask_babel import lazy_gettext as _l

# The rank held during the service year.
RANK_LABELS = {
    "volunteer": _l("Volunteer"),
    "soldier": _l("Soldier"),
}
CURRENCY = "EUR"


def _money(cents: int) -> LazyString:
    return LazyString(lambda: format_currency(cents / 100, CURRENCY))


def lines(intake, *, lodging: bool = True) -> list[tuple]:
    """(label, value) pairs of the offer, in their order; the values render when printed.
    `lodging`: False where the first day's part already prints the lodging."""
    out = []
    gross = getattr(intake, "offer_pay_gross_cents", None)
    net = getattr(intake, "offer_pay_net_cents", None)
    if gross:
        out.append((_l("Gross pay per month"), _money(gross)))
    if net:
        out.append((_l("Net pay per month"), _money(net)))
    rank = getattr(intake, "offer_rank", "") or ""
    if rank in RANK_LABELS:
        out.append((_l("Rank during the year"), RANK_LABELS[rank]))
    function = (getattr(intake, "offer_function", "") or "").strip()
    if function:
        out.append((_l("Function or trade"), function))
    lodging_text = (getattr(intake, "first_day_lodging", "") or "").strip()
    if lodging and lodging_text:
        out.append((_l("Lodging"), lodging_text))
    leave = getattr(intake, "offer_leave_days", None)
    if leave:
        out.append(
            (
                _l("Leave during the year"),
                LazyString(lambda: ngettext("%(num)d day", "%(num)d days", leave)),
            )
        )
    return out
