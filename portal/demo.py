"""`flask demo seed`: demo accounts (and, from other domains, demo data), idempotently.

Each domain adds a seed function to SEEDS as "module:function". A seed function takes
the Report, creates what is missing (looking it up first, so a second run creates
nothing), and says what it did with report.created(...) / report.existing(...).
Seeds run in order (users first) in one transaction, committed at the end.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

import click
from flask import current_app
from flask.cli import AppGroup

from portal.accounts import services
from portal.accounts.models import User
from portal.extensions import db
from portal.models import utcnow
from portal.security import Role

# Run in this order; later seeds may rely on the users of the first.
SEEDS: list[str] = [
    "portal.demo:seed_users",
    "portal.applications.demo_seed:seed_intake",
    "portal.invitations.demo:seed_cohort",
    "portal.applications.review_demo:seed_applications",
]

# Every demo account shares this password, printed by `flask demo seed`.
DEMO_PASSWORD = "dienstjaar-demo-2026"  # noqa: S105 (demo data, printed on purpose)


@dataclass(frozen=True)
class DemoUser:
    email: str
    role: Role
    first_name: str
    last_name: str
    language: str
    verified: bool = True


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin@example.org", Role.ADMIN, "Sofie", "Claes", "nl"),
    DemoUser("recruiter@example.org", Role.RECRUITER, "Julien", "Lambert", "fr"),
    # A second recruiter: a final selection or rejection needs two (four eyes).
    DemoUser("recruiter2@example.org", Role.RECRUITER, "Eva", "Janssens", "nl"),
    DemoUser("employer@example.org", Role.EMPLOYER, "Karin", "Maes", "nl"),
    DemoUser("an.peeters@example.org", Role.CITIZEN, "An", "Peeters", "nl"),
    DemoUser("lucas.dubois@example.org", Role.CITIZEN, "Lucas", "Dubois", "fr"),
    DemoUser("lena.schmitz@example.org", Role.CITIZEN, "Lena", "Schmitz", "de"),
    # Signed up but never confirmed the address: shows the unverified state.
    DemoUser("noah.janssens@example.org", Role.CITIZEN, "Noah", "Janssens", "nl",
             verified=False),
)


@dataclass
class Report:
    created_items: list[str] = field(default_factory=list)
    existing_items: list[str] = field(default_factory=list)
    credentials: list[tuple[str, str, str]] = field(default_factory=list)

    def created(self, what: str) -> None:
        self.created_items.append(what)

    def existing(self, what: str) -> None:
        self.existing_items.append(what)


def demo_user(email: str) -> User | None:
    """A demo account by e-mail, for other domains' seeds."""
    return services.find_by_email(email)


def seed_users(report: Report) -> None:
    for demo in DEMO_USERS:
        report.credentials.append((demo.email, str(demo.role), DEMO_PASSWORD))
        if services.find_by_email(demo.email) is not None:
            report.existing(f"user {demo.email}")
            continue
        if demo.role == Role.CITIZEN:
            user = services.create_citizen(demo.email, DEMO_PASSWORD, demo.first_name,
                                           demo.last_name, demo.language)
            if demo.verified:
                user.email_verified_at = utcnow()
        else:
            services.create_staff(None, demo.email, demo.role, demo.first_name,
                                  demo.last_name, demo.language, password=DEMO_PASSWORD)
        report.created(f"user {demo.email}")
    db.session.flush()


def run_seeds() -> Report:
    report = Report()
    for name in SEEDS:
        module, _, function = name.partition(":")
        getattr(import_module(module), function)(report)
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
    width = max(len(email) for email, _, _ in report.credentials)
    for email, role, password in report.credentials:
        click.echo(f"  {email.ljust(width)}  {role.ljust(9)}  {password}")
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


def register(app) -> None:
    app.cli.add_command(demo)
