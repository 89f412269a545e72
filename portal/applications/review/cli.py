"""`flask applications ...` commands of the recruiter side."""
from __future__ import annotations

from datetime import date

import click

from portal.applications import service_start, waitlist
from portal.commands import add_to_group
from portal.extensions import db


def expire_offers_job(today: date | None = None) -> int:
    """Expire overdue offers and move the waitlists up; commits. For a daily scheduled job."""
    expired = waitlist.expire_offers(today)
    db.session.commit()
    return len(expired)


@click.command("expire-offers")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if it were this day (YYYY-MM-DD).")
def expire_offers(today):
    """Decline offers past their deadline and offer the places to the waitlist."""
    n = expire_offers_job(today.date() if today else None)
    click.echo(f"{n} offer(s) expired.")


@click.command("start-service")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Act as if it were this day (YYYY-MM-DD).")
def start_service(today):
    """Daily: accepted places whose intake has started move into service (told by e-mail)."""
    started = service_start.start_due(today.date() if today else None)
    db.session.commit()
    click.echo(f"{len(started)} service year(s) started.")


def register(app) -> None:
    add_to_group(app, "applications", "Applications of the service year.", expire_offers,
                 start_service)
