"""Rights of the people concerned (export, erasure) and the retention purge.

Every domain's share comes from the registry; this module only puts the parts together.
Services flush; the view or the command commits.
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _

from portal import audit, i18n
from portal import privacy_registry as registry
from portal.accounts.models import User
from portal.extensions import db
from portal.letters import services as letters
from portal.models import utcnow
from portal.privacy.models import ErasureRequest, ErasureStatus
from portal.refusals import Refusal

FORMAT_VERSION = 1


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def collect(user) -> dict:
    """Everything the portal holds on this account, part by part (None parts left out)."""
    data = {}
    for part in registry.parts(current_app):
        value = part.export(user)
        if value not in (None, [], {}):
            data[part.name] = _jsonable(value)
    return data


def export_document(user, actor) -> dict:
    """The machine-readable export (Art. 15 and 20), audited."""
    data = collect(user)
    audit.record(actor, "privacy.exported", user, parts=sorted(data))
    return {
        "format": "dienstjaar-portal-export",
        "version": FORMAT_VERSION,
        "generated_at": utcnow().isoformat(),
        "controller": str(i18n.in_language(current_app.config["PRIVACY_CONTROLLER"])),
        "data_protection_officer": current_app.config["PRIVACY_DPO"],
        "data": data,
        "retention": [
            {"what": str(d.what), "deleted_on": d.on.isoformat() if d.on else None,
             "note": str(d.note) if d.note else None}
            for d in deletion_dates(user)
        ],
    }


@dataclass
class Section:
    title: str
    rows: list  # [(label, text)] or nested Sections


def readable(user, data: dict) -> list[Section]:
    """The export as labelled sections for the PDF, in the current locale."""
    sections = []
    for part in registry.parts(current_app):
        if part.name in data:
            sections.append(Section(str(part.label), _rows(data[part.name], part.labels)))
    return sections


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?")


def _text(value) -> str:
    """A value as a reader of the current language reads it: dates written out."""
    if value is None:
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        # The export keeps dates as ISO text (machine-readable); the letter writes them out.
        value = (datetime.fromisoformat(value) if len(value) > 10
                 else date.fromisoformat(value))
    if isinstance(value, datetime):
        return format_datetime(value, "medium")
    if isinstance(value, date):
        return format_date(value, "long")
    return str(value)


def _rows(value, labels: dict) -> list:
    rows = []
    if isinstance(value, dict):
        for key, item in value.items():
            label = str(labels.get(key, key))
            if isinstance(item, dict | list):
                rows.append(Section(label, _rows(item, labels)))
            else:
                rows.append((label, _text(item)))
    elif isinstance(value, list):
        for i, item in enumerate(value, 1):
            if isinstance(item, dict | list):
                rows.append(Section(f"{i}.", _rows(item, labels)))
            else:
                rows.append((f"{i}.", _text(item)))
    else:
        rows.append(("", _text(value)))
    return rows


def export_pdf(user, actor) -> bytes:
    """The same data as a readable letter, through the letter engine (not archived)."""
    document = export_document(user, actor)
    language = user.language if user.language in ("nl", "fr", "de") else "nl"
    person = getattr(user, "person", None)
    if person is not None and person.first_names:
        recipient = letters.Recipient.from_person(person)
    else:
        recipient = letters.Recipient(name=user.full_name, address_lines=(user.email,),
                                      postcode="", first_name=user.first_name or None)
    with i18n.locale(language):
        sections = readable(user, document["data"])
        retention = deletion_dates(user)
    pdf, _pages = letters.render_letter(
        "data_export", recipient=recipient, languages=(language,),
        reference=letters.new_reference("data_export"),
        context={"sections": sections, "retention": retention,
                 "controller": i18n.in_language(current_app.config["PRIVACY_CONTROLLER"]),
                 "dpo": document["data_protection_officer"],
                 "rules": registry.rules(current_app)})
    return pdf


def deletion_dates(user) -> list[registry.DeletionDate]:
    days = current_app.config["RETENTION_DAYS"]
    dates = []
    for part in registry.parts(current_app):
        if part.deletion_dates is not None:
            dates.extend(part.deletion_dates(user, days))
    return dates


def erase(user, actor) -> ErasureRequest:
    """Carry out an erasure request at once: every part deletes what it may and minimises
    what the law keeps. Returns the request, which says what was kept and until when."""
    now = utcnow()
    user_id = user.id
    counts, kept = _erase_parts(user, actor, now)
    dated = [k.until for k in kept if k.until is not None]
    lasting = [k for k in kept if k.until is None and not _always_kept(k)]
    request = ErasureRequest(
        reference=f"ERA-{now:%y%m}-{secrets.token_hex(4).upper()}",
        user_id=user_id,
        status=ErasureStatus.KEEPING if dated or lasting else ErasureStatus.DONE,
        requested_at=now,
        erased=json.dumps(counts, sort_keys=True),
        kept=json.dumps([[k.what, k.until.isoformat() if k.until else None, k.why]
                         for k in kept]),
        kept_until=max(dated) if dated else None,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(actor, "privacy.erased", request, user_id=user_id, counts=counts,
                 kept=len(kept))
    return request


def _erase_parts(user, actor, now) -> tuple[dict[str, int], list[registry.Kept]]:
    """Every part erases in turn; what one left is what the next reads (the session is
    flushed and expired after each, as parts delete in bulk). The records a part keeps are
    named to the parts after it, so that what belongs to them (their letters) stays too."""
    counts: dict[str, int] = {}
    kept: list[registry.Kept] = []
    kept_subjects: set[tuple[str, str]] = set()
    for part in registry.parts(current_app):
        if part.erase is None:
            continue
        done = part.erase(user, actor, now, kept_subjects=kept_subjects)
        db.session.flush()
        db.session.expire_all()
        for kind, n in done.counts.items():
            counts[kind] = counts.get(kind, 0) + n
        kept.extend(done.kept)
    return counts, kept


def _always_kept(kept: registry.Kept) -> bool:
    # The audit log and the hash against re-invitation stay by design; they do not keep a
    # request open.
    return kept.what in ALWAYS_KEPT


ALWAYS_KEPT = {
    registry.N_("The audit log: who did what on your file, and when"),
    registry.N_("A keyed hash of your national register number"),
}


def finish(request: ErasureRequest, actor, note: str = "") -> ErasureRequest:
    """Staff handle a request: erase again what was kept if its time has come, then close
    it. Refused (Refusal) while a kept record must still be kept."""
    today = utcnow().date()
    if request.kept_until is not None and request.kept_until >= today:
        raise Refusal(_("What this request keeps must stay until %(date)s.",
                        date=format_date(request.kept_until, "long")))
    user = db.session.get(User, request.user_id)
    # What is still kept (a service record, without end) stays with its letters.
    counts, _kept = _erase_parts(user, actor, utcnow())
    request.status = ErasureStatus.CLOSED
    request.handled_by_id = actor.id
    request.handled_at = utcnow()
    request.note = note.strip()
    audit.record(actor, "privacy.request_closed", request, counts=counts)
    return request


@dataclass
class PurgeLine:
    kind: str
    days: int
    cutoff: datetime
    count: int


def purge(actor=None, dry_run: bool = False, now: datetime | None = None) -> list[PurgeLine]:
    """Apply the retention schedule once: every rule of every part, counted and audited.
    Safe to run again: what is gone is not counted twice."""
    now = now or utcnow()
    days = current_app.config["RETENTION_DAYS"]
    lines = []
    for rule in registry.rules(current_app):
        cutoff = now - timedelta(days=days[rule.kind])
        lines.append(PurgeLine(rule.kind, days[rule.kind], cutoff,
                               rule.purge(cutoff, now, dry_run)))
    db.session.flush()
    audit.record(actor, "privacy.purge_dry_run" if dry_run else "privacy.purged", None,
                 counts={line.kind: line.count for line in lines})
    return lines
