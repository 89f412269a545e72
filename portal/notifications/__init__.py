"""Telling candidates what happened: an e-mail (and, if they chose it, a text message) on
each move of their application they must know about, and reminders before an offer lapses.

Subscribes to applications.signals.application_moved (and convocation_changed, when the
selection day a candidate is convoked to changes, and security_screening_changed, when
their security screening starts or is done); writes to its outbox inside the
move's transaction and sends after the commit (see outbox.py).
"""
from __future__ import annotations

from portal import sms
from portal.applications.signals import (
    application_moved,
    convocation_changed,
    security_screening_changed,
)
from portal.domains import Domain
from portal.notifications import cli, models, outbox, views  # noqa: F401 (models: tables)


def _sms_offered() -> bool:
    return sms.enabled()


DOMAIN = Domain(
    "notifications",
    blueprints=(views.bp,),
    cli=(cli.group,),
    signals=(
        (application_moved, outbox.on_application_moved),
        (convocation_changed, outbox.on_convocation_changed),
        (security_screening_changed, outbox.on_security_screening_changed),
    ),
    template_globals={"sms_choice_offered": _sms_offered},
)
