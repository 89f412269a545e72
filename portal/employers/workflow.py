"""The employer agreement's life cycle, declared on the portal's life-cycle core: one table
of allowed moves, who may act on an agreement, the moves that need a reason."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.employers import signals
from portal.employers.members import may_answer
from portal.employers.models import Agreement, AgreementEvent, AgreementStatus
from portal.lifecycle import LifeCycle
from portal.security import Role

S = AgreementStatus
E, C, R, A = Role.EMPLOYER, Role.CITIZEN, Role.RECRUITER, Role.ADMIN
STAFF = frozenset({R, A})

# (from_status, action) -> (to_status, roles allowed)
TRANSITIONS: dict[tuple[AgreementStatus, str], tuple[AgreementStatus, frozenset]] = {
    (S.PROPOSED, "sign"): (S.SIGNED, frozenset({E})),
    # A public employer grants the leave by law: it is notified, nobody signs.
    (S.PROPOSED, "notify"): (S.SIGNED, frozenset({C}) | STAFF),
    (S.PROPOSED, "decline"): (S.DECLINED, frozenset({E})),
    (S.PROPOSED, "withdraw"): (S.ENDED, frozenset({C}) | STAFF),
    (S.SIGNED, "suspend"): (S.SUSPENDED, frozenset({E}) | STAFF),
    (S.SUSPENDED, "resume"): (S.SIGNED, frozenset({E}) | STAFF),
    (S.SIGNED, "end"): (S.ENDED, frozenset({E, C}) | STAFF),
    (S.SUSPENDED, "end"): (S.ENDED, frozenset({E, C}) | STAFF),
}

# Moves that need a reason from the person making them.
NEEDS_REASON = frozenset({"decline", "suspend", "end"})
# Moves the portal makes itself (when a reservist names a public employer): no button.
PORTAL_MOVES = frozenset({"notify"})


def may_act_for(agreement: Agreement, actor) -> bool:
    role = Role(actor.role)
    if role in STAFF:
        return True
    if role == C:
        return actor.id == agreement.reservist_id
    return may_answer(actor, agreement)


def _public_employer(agreement: Agreement) -> str | None:
    if not agreement.employer.is_public:
        # Leave by law only for public employers: every other employer signs.
        return _("You are not allowed to take this action.")
    return None


def _stamp(agreement: Agreement, action: str, reason: str) -> None:
    if action == "decline":
        agreement.decline_reason = reason


AGREEMENTS = LifeCycle(
    model=Agreement, event=AgreementEvent, states=S,
    transitions=TRANSITIONS, guards={"notify": _public_employer}, may_act=may_act_for,
    reason_required=NEEDS_REASON, portal_moves=PORTAL_MOVES, stamp=_stamp,
    audit_details=lambda agreement: {"terms_id": agreement.terms_id},
    signal=signals.agreement_moved, audit_prefix="agreement",
    not_possible=_l("This action is not possible in the agreement's current state."),
    stale=_l("This agreement was changed meanwhile. Check it and try again."),
)

# A move: transition(agreement, action, actor, reason="", *, version=None) ->
# AgreementEvent; `version` is the agreement version the actor saw.
transition = AGREEMENTS.move
allowed_actions = AGREEMENTS.allowed_actions
