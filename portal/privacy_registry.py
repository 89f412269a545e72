"""What each domain contributes to the rights of the people concerned and to retention.

A domain describes its personal data once, in a `Part`, and adds it in its `init_app`
with `contribute(app, part)`: the export, the erasure, the purge, the citizen's deletion
dates and the record of processing then cover it without the privacy domain knowing it.
This module imports no domain.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import union


def N_(message: str) -> str:
    """Marks a message for translation without translating it: kept records store the
    English message id and are shown in the reader's language (gettext at display)."""
    return message


@dataclass(frozen=True)
class Kept:
    """Something erasure keeps because the law requires it: what, until when, why."""

    what: str  # an English message id, marked with N_
    until: date | None
    why: str


@dataclass
class Erased:
    """What a part's erasure did: rows deleted or minimised per kind, and what it kept."""

    counts: dict[str, int] = field(default_factory=dict)
    kept: list[Kept] = field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    """One kind of data of the retention schedule, as the record of processing shows it.

    `purge(cutoff, now, dry_run)` removes (or, with dry_run, counts) what is older than
    `cutoff` and returns how many records it concerns; it flushes, the caller commits.
    `since` says from when the period counts (a lazy string).
    """

    kind: str
    label: Any
    purpose: Any
    legal_basis: Any
    categories: Any
    since: Any
    purge: Callable[[datetime, datetime, bool], int]
    recipients: Any = None
    # Rules run by stage, then in part order: a rule that frees other data for its own
    # rule (closing an account frees its register data) runs first, so one run suffices.
    stage: int = 50


@dataclass(frozen=True)
class DeletionDate:
    """A line of the citizen's "when will my data be deleted" list."""

    what: Any
    on: date | None
    note: Any = None


@dataclass(frozen=True)
class Part:
    """A domain's share. Each callable takes the user (a citizen account) first.

    export(user) -> JSON-able dict or list (None: nothing held); `labels` names its keys
    for the readable PDF. erase(user, actor, now, kept_subjects=set) -> Erased: deletes
    or minimises at once; a part that keeps records adds their (type, id) to
    `kept_subjects` so that later parts (letters) keep what belongs to them.
    deletion_dates(user, days) -> list[DeletionDate] where `days` is RETENTION_DAYS.
    holds_users() -> a select of user ids whose accounts the domain still needs (e.g.
    an application in progress): the account retention rule leaves them alone.
    """

    name: str
    label: Any
    export: Callable[[Any], Any]
    erase: Callable[[Any, Any, datetime], Erased] | None = None
    deletion_dates: Callable[[Any, dict], list[DeletionDate]] | None = None
    rules: tuple[Rule, ...] = ()
    labels: dict = field(default_factory=dict)
    holds_users: Callable[[], Any] | None = None
    order: int = 100  # erasure order: dependent data (letters, applications) before accounts


def contribute(app, part: Part) -> None:
    """Add (or replace, by name) a domain's part on this app."""
    parts = app.extensions.setdefault("privacy.parts", {})
    parts[part.name] = part


def parts(app) -> list[Part]:
    return sorted(app.extensions.get("privacy.parts", {}).values(),
                  key=lambda p: (p.order, p.name))


def rules(app) -> list[Rule]:
    ordered = [rule for part in parts(app) for rule in part.rules]
    return sorted(ordered, key=lambda rule: rule.stage)


def held_users(app):
    """A select of the user ids some domain still needs, or None when none does."""
    selects = [p.holds_users() for p in parts(app) if p.holds_users is not None]
    if not selects:
        return None
    return selects[0] if len(selects) == 1 else union(*selects)
