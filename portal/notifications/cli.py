"""`flask notifications remind` (daily); `flask deliveries sweep` retries what failed."""
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
