"""What each domain contributes to the rights of the people concerned and to retention.

A domain describes its personal data once, in a `Part`, and names it in its DOMAIN's
privacy parts (portal.domains), which `contribute(app, part)` adds: the export, the
erasure, the purge, the citizen's deletion dates and the record of processing then cover
it without the privacy domain knowing it.
This module imports no domain.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, select, union, update

from portal.extensions import db


def N_(message: str) -> str:
    """Marks a message for translation without translating it: kept records store the
    English message id and are shown in the reader's language (gettext at display)."""
    return message


# The legal bases several kinds of data share, worded once for the record of processing.
PUBLIC_TASK = _l("Public task (GDPR Art. 6(1)(e))")
PUBLIC_TASK_SERVICE_YEAR = _l("Public task (GDPR Art. 6(1)(e)), the law on the service year")
RECRUITING = _l("The public task of recruiting for Defence (GDPR Art. 6(1)(e))")
CONSENT_AND_RECRUITING = _l("Consent and the public task of recruiting for Defence (GDPR Art. "
                            "6(1)(a) and (e))")


# The words the readable export uses for keys every part means the same by (a record's
# reference and status, a life cycle's history, answers, periods); a part names the others.
LABELS = {
    "reference": _l("Reference"),
    "status": _l("Status"),
    "submitted_at": _l("Submitted on"),
    "decided_at": _l("Decided on"),
    "history": _l("History"),
    "action": _l("Action"),
    "from_status": _l("From"),
    "to_status": _l("To"),
    "reason": _l("Reason"),
    "at": _l("When"),
    "answer": _l("Answer"),
    "answered_at": _l("Answered on"),
    "starts_on": _l("From"),
    "ends_on": _l("To"),
}


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
    for the readable PDF, beyond those LABELS names (a part's own word wins).
    erase(user, actor, now, kept_subjects=set) -> Erased: deletes or minimises at once
    (the privacy service flushes and expires the session after each part); a part that
    keeps records adds their (type, id) to `kept_subjects` so that later parts (letters)
    keep what belongs to them.
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", {**LABELS, **self.labels})


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


# The shapes the parts share: a part declares what is its own (which rows, which columns,
# what the law keeps) and leaves the counting, deleting and chunking to these.

Purge = Callable[[datetime, datetime, bool], int]


def delete_rows(model, *where) -> int:
    """Delete the rows of `model` that match `where` in one statement and say how many. The
    session is not synchronised: a part that goes on reading expires what it holds."""
    return db.session.execute(delete(model).where(*where)
                              .execution_options(synchronize_session=False)).rowcount


def update_rows(model, *where, **values) -> int:
    """Set `values` on the rows of `model` that match `where` in one statement (a kept record
    minimised, an account closed) and say how many; the session is not synchronised, as in
    delete_rows."""
    return db.session.execute(update(model).where(*where).values(**values)
                              .execution_options(synchronize_session=False)).rowcount


def count_rows(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def count_or_delete(model, *where, dry_run: bool) -> int:
    """A purge of the rows of `model` that match `where`: counted on a dry run, deleted
    otherwise; either way, how many."""
    return count_rows(model, *where) if dry_run else delete_rows(model, *where)


def older(column, *where, remove: Callable[[Any], Any] | None = None, of=None,
          chunk: int | None = 5000) -> Purge:
    """A rule's purge of the rows whose `column` lies before the cutoff (a date column is
    compared with the cutoff's day) and that match `where`: deleted in one statement, or,
    for a file that takes more than one delete, selected and handed to `remove` as
    count_or_remove does. `of` is what is selected for `remove`: the model's ids, or the
    model (its records) or a tuple of columns (rows of them)."""
    on_day = column.type.python_type is date
    model = column.class_
    chosen = (model.id,) if of is None else of if isinstance(of, tuple) else (of,)

    def purge(cutoff: datetime, now: datetime, dry_run: bool) -> int:
        limit = cutoff.date() if on_day else cutoff
        if remove is None:
            return count_or_delete(model, column < limit, *where, dry_run=dry_run)
        return count_or_remove(select(*chosen).where(column < limit, *where), remove,
                               dry_run=dry_run, chunk=chunk)

    return purge


def together(*purges: Purge) -> Purge:
    """One rule's purge made of several (the rows of more than one table): how many in all."""

    def purge(cutoff: datetime, now: datetime, dry_run: bool) -> int:
        return sum(each(cutoff, now, dry_run) for each in purges)

    return purge


def count_or_remove(query: Select, remove: Callable[[Any], Any], *, dry_run: bool,
                    chunk: int | None = 5000) -> int:
    """A purge of what `query` selects (ids, rows or records) where removing takes more than
    one delete: counted on a dry run; otherwise fetched and handed to `remove` `chunk` at a
    time. With chunk=None nothing is fetched: `remove` gets the query itself (to use in
    `in_`) once. Returns how many."""
    if dry_run or chunk is None:
        count = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        if not dry_run and count:
            remove(query)
        return count
    if len(query.column_descriptions) == 1:
        found = db.session.scalars(query).all()
    else:
        found = db.session.execute(query).all()
    for start in range(0, len(found), chunk):
        remove(found[start:start + chunk])
    return len(found)


def delete_children(ids, *columns) -> None:
    """Delete the rows that point with one of `columns` at one of `ids` (a list or a select
    of ids): the records a file is made of, before the file itself."""
    for column in columns:
        delete_rows(column.class_, column.in_(ids))


def delete_owned(result: Erased, user, **columns) -> None:
    """Delete the rows that point at the user with each column, counted under its kind."""
    for kind, column in columns.items():
        result.counts[kind] = delete_rows(column.class_, column == user.id)


def owned(column, user) -> list:
    """The records whose `column` points at the user, oldest first."""
    model = column.class_
    return db.session.scalars(select(model).where(column == user.id).order_by(model.id)).all()


def rows(records: Iterable, *fields) -> list[dict]:
    """Records as an export shows them, a dict each, keys in the order given. A field is an
    attribute name, or a pair (key, dotted attribute path or function of the record)."""
    getters = []
    for spec in fields:
        key, how = (spec, spec) if isinstance(spec, str) else spec
        getters.append((key, attrgetter(how) if isinstance(how, str) else how))
    return [{key: get(record) for key, get in getters} for record in records]


def keep_or_delete(result: Erased, records: Iterable, *, kind: str,
                   keeps: Callable[[Any], Kept | None], remove: Callable[[list], Any],
                   minimise: Callable[[Any], Any] | None = None,
                   kept_subjects: set | None = None) -> None:
    """An erasure of records the law may keep: `keeps(record)` says why one stays (None: it
    goes). Kept records are minimised (and counted as such) and named in `kept_subjects` so
    that later parts keep what belongs to them (their letters); the others are deleted with
    their files by `remove(ids)`. Adds the counts and what is kept to `result`."""
    doomed = []
    for record in records:
        kept = keeps(record)
        if kept is None:
            doomed.append(record.id)
            continue
        if minimise is not None:
            minimise(record)
            result.counts[f"{kind}_minimised"] = result.counts.get(f"{kind}_minimised", 0) + 1
        result.kept.append(kept)
        if kept_subjects is not None:
            kept_subjects.add((type(record).__name__, str(record.id)))
    if doomed:
        remove(doomed)
    result.counts[kind] = len(doomed)


def export_of(**sections) -> dict | None:
    """An export made of sections (lists of rows, or rows): None when all are empty, that
    is when the part holds nothing on the person."""
    return sections if any(sections.values()) else None


def under_appeal(decided_at: datetime | None, now: datetime, what: str) -> Kept | None:
    """What erasure keeps of a decision the person may still appeal (APPEAL_PERIOD_DAYS
    after it): `what` (an N_ message id) until the period ends; None once it has."""
    if decided_at is None:
        return None
    until = decided_at + timedelta(days=current_app.config["APPEAL_PERIOD_DAYS"])
    if until <= now:
        return None
    return Kept(what, until.date(), N_("You may still appeal the decision: until then the law "
                                       "requires us to keep it. Your answers were removed."))


def days_after(moment: datetime, days: int) -> date:
    """The day a period of `days` that starts at `moment` ends."""
    return (moment + timedelta(days=days)).date()
