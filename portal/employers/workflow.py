"""The employer agreement's life cycle: one table of allowed moves and one transition()."""
from __future__ import annotations

from flask_babel import gettext as _

from portal import audit
from portal.employers import signals
from portal.employers.members import may_answer
from portal.employers.models import Agreement, AgreementEvent, AgreementStatus
from portal.extensions import db
from portal.locking import lock_row
from portal.models import utcnow
from portal.refusals import Refusal
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


def allowed_actions(agreement: Agreement, role: Role | str) -> list[str]:
    return [action for (status, action), (_to, roles) in TRANSITIONS.items()
            if status == agreement.status and Role(role) in roles
            and action not in PORTAL_MOVES]


def may_act_for(agreement: Agreement, actor) -> bool:
    role = Role(actor.role)
    if role in STAFF:
        return True
    if role == C:
        return actor.id == agreement.reservist_id
    return may_answer(actor, agreement)


def transition(agreement: Agreement, action: str, actor, reason: str = "", *,
               version: int | None = None) -> AgreementEvent:
    """Check and make one move: record, audit, announce (agreement_moved). Flushes.

    `version` is the agreement version the actor saw; a different one means the page was
    stale. Raises Refusal with a message for the user.
    """
    agreement = lock_row(Agreement, agreement.id)
    if version is not None and version != agreement.version:
        raise Refusal(_("This agreement was changed meanwhile. Check it and try again."))
    key = (S(agreement.status), action)
    if key not in TRANSITIONS:
        raise Refusal(_("This action is not possible in the agreement's current state."))
    to_status, roles = TRANSITIONS[key]
    if Role(actor.role) not in roles or not may_act_for(agreement, actor):
        raise Refusal(_("You are not allowed to take this action."))
    if action == "notify" and not agreement.employer.is_public:
        # Leave by law only for public employers: every other employer signs.
        raise Refusal(_("You are not allowed to take this action."))
    reason = (reason or "").strip()
    if action in NEEDS_REASON and not reason:
        raise Refusal(_("Give a reason."), "reason")
    from_status = agreement.status
    agreement.status = to_status
    agreement.version += 1
    agreement.status_changed_at = utcnow()
    if action == "decline":
        agreement.decline_reason = reason
    event = AgreementEvent(agreement=agreement, action=action, from_status=from_status,
                           to_status=to_status, actor_id=actor.id, reason=reason)
    db.session.add(event)
    audit.record(actor, f"agreement.{action}", agreement, from_status=str(from_status),
                 to_status=str(to_status), reason=reason, terms_id=agreement.terms_id)
    db.session.flush()
    signals.agreement_moved.send(agreement, event=event, action=action,
                                 from_status=from_status, to_status=to_status, actor=actor)
    return event
