"""`flask applications security-requests`: the requests waiting for the vetting authority,
as the CSV the security officers' page gives, for sending in bulk."""
from __future__ import annotations

import csv
import sys

import click

from portal.accounts.models import User
from portal.applications.vetting import services
from portal.commands import add_to_group
from portal.extensions import db
from portal.refusals import Refusal


@click.command("security-requests")
@click.option("--officer", "officer_email", required=True,
              help="E-mail address of the security officer taking the list (audited).")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the CSV to this file (default: standard output).")
def security_requests(officer_email, output):
    """Export the security screening requests waiting for the vetting authority as CSV."""
    officer = db.session.scalar(db.select(User).where(User.email == officer_email.lower()))
    try:
        if officer is None:
            raise Refusal("no such account")
        requests = services.pending_requests(officer)
    except Refusal as error:
        raise click.ClickException(f"{officer_email}: {error.message}") from None
    db.session.commit()
    rows = services.as_csv_rows(requests)
    if output:
        with open(output, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
        click.echo(f"{len(requests)} request(s) written to {output}.", err=True)
    else:
        csv.writer(sys.stdout).writerows(rows)


def register(app) -> None:
    add_to_group(app, "applications", "Applications of the service year.", security_requests)
