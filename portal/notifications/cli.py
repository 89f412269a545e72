"""`flask notifications remind` (daily) and `flask notifications send-pending` (often)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal import clock
from portal.extensions import db
from portal.notifications import outbox

group = AppGroup("notifications", help="Messages to candidates about their applications.")


@group.command("remind")
def remind_command():
    """Remind candidates of offers about to lapse (run daily, before expire-offers)."""
    count = outbox.remind_offers(clock.today())
    db.session.commit()  # sends them (after the commit)
    click.echo(f"{count} reminders queued.")


@group.command("send-pending")
def send_pending_command():
    """Try again every notification a mail or SMS outage left pending."""
    sent, pending = outbox.send_pending()
    click.echo(f"{sent} sent, {pending} still pending.")
