"""Privacy by design: export and erasure for citizens, the retention purge, the record of
processing. Domains add their share through `portal.privacy_registry`, as the privacy parts
of their DOMAIN (portal.domains)."""
from __future__ import annotations

import os
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import text

from portal import drafts
from portal import privacy_registry as registry
from portal.audit import AuditEvent
from portal.domains import Domain
from portal.extensions import db
from portal.letters import kinds as letter_kinds
from portal.navigation import StaffTask
from portal.outbox import Delivery
from portal.privacy import cli, models, services, views  # noqa: F401 - models: the table
from portal.security import Role


def purge_mail_files(cutoff, now, dry_run: bool) -> int:
    """E-mails written as files (no MAIL_URL) and deliveries sent before the cutoff.
    Those still waiting stay until they are delivered."""
    directory = Path(current_app.config["MAIL_DIR"])
    limit = cutoff.timestamp()
    old = [p for p in directory.glob("*.eml") if p.stat().st_mtime < limit] \
        if directory.is_dir() else []
    if not dry_run:
        for path in old:
            os.remove(path)
    return len(old) + registry.count_or_delete(Delivery, Delivery.sent_at < cutoff,
                                               dry_run=dry_run)


def purge_audit_log(cutoff, now, dry_run: bool) -> int:
    if not dry_run and db.engine.dialect.name == "postgresql":
        # The append-only trigger lets only the retention purge delete, and only within
        # this transaction (migration 0023).
        db.session.execute(text("SELECT set_config('portal.retention_purge', 'on', true)"))
    return registry.count_or_delete(AuditEvent, AuditEvent.at < cutoff, dry_run=dry_run)


CORE = registry.Part(
    name="portal",
    label=_l("The portal"),
    export=lambda user: None,
    order=200,
    rules=(
        registry.Rule(
            kind="mail_files",
            label=_l("E-mails sent"),
            purpose=_l("Tell people what happened to their file and what to do next"),
            legal_basis=registry.PUBLIC_TASK,
            categories=_l("E-mail address, name, the message"),
            since=_l("sending"),
            purge=purge_mail_files,
            recipients=_l("The mail provider (processor)"),
        ),
        registry.Rule(
            kind="form_drafts",
            label=_l("Forms typed before a session expired"),
            purpose=_l("Fill the form in again so that nothing typed is lost"),
            legal_basis=registry.PUBLIC_TASK,
            categories=_l("What was typed into the form, health answers included (encrypted)"),
            since=_l("typing"),
            # Drafts go an hour after by themselves (portal.drafts); this catches those
            # left when nobody posted again.
            purge=registry.older(drafts.FormDraft.created_at),
        ),
        registry.Rule(
            kind="audit_log",
            label=_l("Audit log"),
            purpose=_l("Prove who did what with whose data; detect misuse"),
            legal_basis=_l("Legal obligation of security and accountability (GDPR Art. 5(2), "
                           "Art. 32)"),
            categories=_l("Who, what, on which record, when, from which address"),
            since=_l("the event"),
            purge=purge_audit_log,
        ),
    ),
)


# The letters this domain sends (their templates in templates/letters/).
LETTER_KINDS = (
    letter_kinds.Kind.of(
        __file__, "data_export",
        _l("The data the portal holds on you — Service Year")),
)


DOMAIN = Domain(
    "privacy",
    blueprints=(views.bp, views.admin),
    cli=(cli.privacy,),
    privacy_parts=(CORE,),
    staff_tasks=(
        StaffTask("privacy_admin.requests", _l("Erasure requests"),
                  _l("Citizens' erasure requests: what was erased, what is kept until when."),
                  (Role.ADMIN,), order=70),
        StaffTask("privacy_admin.record", _l("Record of processing"),
                  _l("What personal data the portal holds, why, and for how long (Art. 30)."),
                  (Role.ADMIN,), order=75),
    ),
    template_globals={"privacy_deletion_dates": services.deletion_dates},
    letter_kinds=LETTER_KINDS,
)
