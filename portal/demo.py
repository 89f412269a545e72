"""`flask demo seed`: demo accounts and data of every domain, idempotently.

Each domain adds its seed functions with add_seed(app, function, order) in its
init_app. A seed function takes the Report, creates what is missing (looking it up
first, so a second run creates nothing), and says what it did with
report.created(...) / report.existing(...). Seeds run by `order` (the accounts first,
then what relies on them) in one transaction, committed at the end.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db

EXTENSION = "portal.demo_seeds"


@dataclass
class Report:
    created_items: list[str] = field(default_factory=list)
    existing_items: list[str] = field(default_factory=list)
    credentials: list[tuple[str, str, str]] = field(default_factory=list)
    # Lines printed after the accounts (how to sign in beyond the password).
    notes: list[str] = field(default_factory=list)

    def created(self, what: str) -> None:
        self.created_items.append(what)

    def existing(self, what: str) -> None:
        self.existing_items.append(what)


def add_seed(app, seed: Callable[[Report], None], order: int) -> None:
    """Run `seed` in `flask demo seed`, after every seed of a lower order."""
    app.extensions.setdefault(EXTENSION, []).append((order, seed))


def run_seeds() -> Report:
    report = Report()
    for _order, seed in sorted(current_app.extensions.get(EXTENSION, []),
                               key=lambda pair: pair[0]):
        seed(report)
        db.session.flush()
    return report


demo = AppGroup("demo", help="Demo data for trying the portal.")


@demo.command("seed")
def seed_command():
    """Create the demo accounts and data; running it again creates nothing new."""
    report = run_seeds()
    db.session.commit()
    for item in report.created_items:
        click.echo(f"created: {item}")
    if not report.created_items:
        click.echo(f"Nothing new: the demo data is already there "
                   f"({len(report.existing_items)} items).")
    click.echo("")
    click.echo("Demo accounts (e-mail, role, password):")
    width = max((len(email) for email, _, _ in report.credentials), default=0)
    role_width = max((len(role) for _, role, _ in report.credentials), default=0)
    for email, role, password in report.credentials:
        click.echo(f"  {email.ljust(width)}  {role.ljust(role_width)}  {password}")
    for note in report.notes:
        click.echo(note)
    click.echo("")
    click.echo(where_things_go(current_app.config))


def where_things_go(config) -> str:
    """Where a developer finds the portal and the e-mails it sends."""
    if config.get("MAIL_URL"):
        host = config["MAIL_URL"].split("@")[-1].split("?")[0]
        mail = f"E-mails are sent by SMTP ({host})."
    else:
        mail = (f"E-mails are not sent: each one is written as an .eml file in "
                f"{config['MAIL_DIR']} (set MAIL_URL to send them).")
    return f"Links in e-mails, letters and QR codes point to {config['BASE_URL']}.\n{mail}"


def init_app(app) -> None:
    app.cli.add_command(demo)
