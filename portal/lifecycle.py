"""The one life-cycle core: a domain declares its life cycle (a table of moves, guards, the
moves a second person confirms) and `LifeCycle.move()` checks, records, audits and announces
every move the same way. It imports no domain."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any, ClassVar

from blinker import Signal
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, Text, inspect
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from portal import audit
from portal.extensions import db
from portal.locking import lock
from portal.models import UTCDateTime, utcnow
from portal.refusals import Refusal
from portal.security import Role

SYSTEM = None  # in a table's roles: the portal itself may make the move (no user acts)

# What stops a move when a condition beyond the status is not met: a translated message.
Guard = Callable[[Any], "str | None"]


class EventRow:
    """The columns of a life cycle's event table: one move, from and to which status, who
    made it (None: the portal), why and when. The model adds the link to its record and may
    narrow `action_length` and `status_length` to its table's."""

    action_length: ClassVar[int] = 30
    status_length: ClassVar[int] = 20

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @declared_attr
    def action(cls) -> Mapped[str]:
        return mapped_column(String(cls.action_length))

    @declared_attr
    def from_status(cls) -> Mapped[str]:
        return mapped_column(String(cls.status_length))

    @declared_attr
    def to_status(cls) -> Mapped[str]:
        return mapped_column(String(cls.status_length))


@dataclass(frozen=True)
class FourEyes:
    """How a second person confirms a move: one person proposes it (a decision with
    `proposed_by_id`), another makes it, giving that decision to `move()`.

    - `proposes(record, action, decision)`: is it an open proposal of this very move?
      If not, the move is refused with `missing`; made by its proposer, with `same_person`.
    - `may_confirm(actor, decision)`: whether this actor may make the move on this
      proposal (else "not allowed").
    - `standing(record)`: for a move the portal makes itself, the decision it rests on,
      which must have been proposed and confirmed (`resolved_by_id`) by two different
      people, else it is refused with `unconfirmed`.
    """

    proposes: Callable[[Any, str, Any], bool]
    missing: Any
    same_person: Any
    may_confirm: Callable[[Any, Any], bool] = lambda _actor, _decision: True
    standing: Callable[[Any], Any] | None = None
    unconfirmed: Any = ""


def is_stale(record, seen) -> bool:
    """True when `seen`, the version a page or form showed, is not the record's current one.

    Every move bumps the version, so a form from another tab, the back button or a slow
    colleague is recognised. None means: no version to check.
    """
    if seen is None:
        return False
    try:
        return int(seen) != record.version
    except (TypeError, ValueError):
        return True


def citizen_owns(attribute: str) -> Callable[[Any, Any], bool]:
    """A citizen acts only on a record whose `attribute` is their user id; the staff roles
    the table allows act on any."""
    def may_act(record, actor) -> bool:
        return Role(actor.role) != Role.CITIZEN or actor.id == getattr(record, attribute)
    return may_act


@dataclass(frozen=True)
class LifeCycle:
    """One life cycle, declared by its domain.

    The record (`model`) has `status`, `version` and `status_changed_at`; `event` is its
    EventRow model; every move is audited as "<audit_prefix>.<action>" and announced by
    `signal` (sender: the record; `event`, `action`, `from_status`, `to_status`, `actor`,
    and `decision` when the life cycle has four-eyes moves).

    - `transitions`: (from status, action) -> (to status, roles allowed; SYSTEM: the portal);
    - `guards`: action -> check of a condition beyond the status (a message when not met);
    - `four_eyes`: action -> FourEyes, for moves a second person confirms;
    - `may_act(record, actor)`: whether this person may act on this record at all;
    - `reason_required`: actions refused without a reason;
    - `portal_moves`: actions the portal makes for someone (offered to nobody as a button);
    - `prepare(record, action, decision, **options)`: last step before the move, after every
      check (it may still refuse, or complete the record);
    - `stamp(record, action, reason)`: what a move sets on the record besides its status;
    - `audit_details(record)`: what the audit entry records besides from, to and reason;
    - `not_possible`, `stale`: the refusals of a move not in the table, and of a stale page;
    - `refusal`: the Refusal class raised.
    """

    model: type
    event: type
    states: type[StrEnum]
    transitions: Mapping[tuple[StrEnum, str], tuple[StrEnum, frozenset]]
    signal: Signal
    audit_prefix: str
    not_possible: Any
    stale: Any
    guards: Mapping[str, Guard] = field(default_factory=dict)
    four_eyes: Mapping[str, FourEyes] = field(default_factory=dict)
    may_act: Callable[[Any, Any], bool] = lambda _record, _actor: True
    reason_required: frozenset[str] = frozenset()
    portal_moves: frozenset[str] = frozenset()
    prepare: Callable[..., None] | None = None
    stamp: Callable[[Any, str, str], None] | None = None
    audit_details: Callable[[Any], dict] | None = None
    refusal: type[Refusal] = Refusal

    @cached_property
    def _record_key(self) -> str:
        """The event row's link to its record (ApplicationEvent.application, ...)."""
        return next(r.key for r in inspect(self.event).relationships
                    if r.mapper.class_ is self.model)

    def allowed_actions(self, record, role: Role | str | None) -> list[str]:
        """The actions `role` may offer on `record` now (the table's; guards not run)."""
        role = Role(role) if role else SYSTEM
        return [action for (status, action), (_to, roles) in self.transitions.items()
                if status == record.status and role in roles
                and action not in self.portal_moves]

    def check_version(self, record, version: int | None) -> None:
        """Refuse a move made from a stale page: `version` is the one the actor saw."""
        if is_stale(record, version):
            raise self.refusal(str(self.stale))

    def move(self, record, action: str, actor, reason: str = "", *,
             version: int | None = None, decision=None, **options):
        """Check and make one move: record it, audit it, announce it. Flushes; the caller
        commits. Returns the event row.

        `actor` is a User, or SYSTEM (None) when the portal itself acts; `version`, when
        given, is the version the actor saw; `reason` is kept trimmed of surrounding
        spaces; `decision` is the proposal a four-eyes move confirms; `options` go to the
        life cycle's `prepare`. Any refusal leaves the record as it was. What follows a
        move is done by the receivers of `signal`, sent last, inside the transaction.
        """
        # One move at a time per record: a second one waits here, then sees the first (the
        # row is read again), so a double click or two tabs cannot move it twice.
        lock(record)
        self.check_version(record, version)
        key = (self.states(record.status), action)
        if key not in self.transitions:
            raise self.refusal(str(self.not_possible))
        to_status, roles = self.transitions[key]
        role = Role(actor.role) if actor is not None else SYSTEM
        if role not in roles or (actor is not None and not self.may_act(record, actor)):
            raise self.refusal(_("You are not allowed to take this action."))
        if action in self.four_eyes:
            decision = self._second_pair_of_eyes(record, action, actor, decision)
        guard = self.guards.get(action)
        problem = guard(record) if guard else None
        if problem:
            raise self.refusal(problem)
        reason = (reason or "").strip()
        if action in self.reason_required and not reason:
            raise self.refusal(_("Give a reason."), "reason")
        if self.prepare is not None:
            self.prepare(record, action, decision, **options)
        from_status = self.states(record.status)
        record.status = to_status
        record.version += 1
        record.status_changed_at = utcnow()
        if self.stamp is not None:
            self.stamp(record, action, reason)
        event = self.event(**{self._record_key: record}, action=action,
                           from_status=from_status, to_status=to_status,
                           actor_id=getattr(actor, "id", None), reason=reason)
        db.session.add(event)
        audit.record(actor, f"{self.audit_prefix}.{action}", record,
                     from_status=str(from_status), to_status=str(to_status), reason=reason,
                     **(self.audit_details(record) if self.audit_details else {}),
                     **({"decision_id": decision.id} if decision is not None else {}))
        db.session.flush()
        extra = {"decision": decision} if self.four_eyes else {}
        self.signal.send(record, event=event, action=action, from_status=from_status,
                         to_status=to_status, actor=actor, **extra)
        return event

    def _second_pair_of_eyes(self, record, action: str, actor, decision):
        """The decision a four-eyes move rests on, or a refusal."""
        rule = self.four_eyes[action]
        if actor is None:
            if rule.standing is None:
                raise self.refusal(str(rule.missing))
            decision = rule.standing(record)
            if decision is None or decision.resolved_by_id == decision.proposed_by_id:
                raise self.refusal(str(rule.unconfirmed))
            return decision
        if decision is None or not rule.proposes(record, action, decision):
            raise self.refusal(str(rule.missing))
        if decision.proposed_by_id == actor.id:
            raise self.refusal(str(rule.same_person))
        if not rule.may_confirm(actor, decision):
            raise self.refusal(_("You are not allowed to take this action."))
        return decision
