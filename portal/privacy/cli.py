"""`flask privacy purge`: apply the retention schedule (daily, from cron)."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from portal.commands import add_to_group
from portal.extensions import db
from portal.privacy import services

privacy = AppGroup("privacy", help="Retention schedule and rights of the people concerned.")


@privacy.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing.")
def purge(dry_run: bool):
    """Delete or minimise what the retention schedule no longer allows to keep."""
    started = time.monotonic()
    lines = services.purge(dry_run=dry_run)
    db.session.commit()
    width = max(len(line.kind) for line in lines)
    verb = "would delete" if dry_run else "deleted"
    for line in lines:
        click.echo(f"{line.kind:<{width}}  {line.days:>5} days  {verb} {line.count}")
    click.echo(f"{'total':<{width}}  {'':>5}       {verb} {sum(x.count for x in lines)}"
               f" in {time.monotonic() - started:.1f} s")


def register(app) -> None:
    # Domains add their own commands (e.g. `rekey-health`) to the same group.
    add_to_group(app, "privacy", privacy.help, *privacy.commands.values())
