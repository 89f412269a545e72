"""Demo accounts of every role, for `flask demo seed`."""
from __future__ import annotations

from dataclasses import dataclass

import click
import pyotp

from portal.accounts import second_factor, services
from portal.accounts.models import User
from portal.demo import Report, demo
from portal.extensions import db
from portal.models import utcnow
from portal.security import Role

# Every demo account shares this password, printed by `flask demo seed`.
DEMO_PASSWORD = "dienstjaar-demo-2026"  # noqa: S105 (demo data, printed on purpose)

# The demo recruiter and administrator have two-step verification on with this key,
# printed by `flask demo seed`: add it to an authenticator app, or run `flask demo code`.
DEMO_TOTP_SECRET = "DIENSTJAARDEMOSTAFFKEYTWEESTAPAA"  # noqa: S105 (demo data, printed)


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
    # The only demo account that reads health answers and records the medical test.
    DemoUser("medical@example.org", Role.MEDICAL_STAFF, "Hanne", "Vermeulen", "nl"),
    # Two security officers: an unfavourable screening outcome needs a second one.
    DemoUser("security@example.org", Role.SECURITY_OFFICER, "Pieter", "Wouters", "nl"),
    DemoUser("security2@example.org", Role.SECURITY_OFFICER, "Claire", "Renard", "fr"),
    DemoUser("employer@example.org", Role.EMPLOYER, "Karin", "Maes", "nl"),
    DemoUser("an.peeters@example.org", Role.CITIZEN, "An", "Peeters", "nl"),
    DemoUser("lucas.dubois@example.org", Role.CITIZEN, "Lucas", "Dubois", "fr"),
    DemoUser("lena.schmitz@example.org", Role.CITIZEN, "Lena", "Schmitz", "de"),
    # Signed up but never confirmed the address: shows the unverified state.
    DemoUser("noah.janssens@example.org", Role.CITIZEN, "Noah", "Janssens", "nl",
             verified=False),
)


def demo_user(email: str) -> User | None:
    """A demo account by e-mail, for other domains' seeds."""
    return services.find_by_email(email)


def seed_users(report: Report) -> None:
    for item in DEMO_USERS:
        report.credentials.append((item.email, str(item.role), DEMO_PASSWORD))
        if services.find_by_email(item.email) is not None:
            report.existing(f"user {item.email}")
            continue
        if item.role == Role.CITIZEN:
            user = services.create_citizen(item.email, DEMO_PASSWORD, item.first_name,
                                           item.last_name, item.language)
            if item.verified:
                user.email_verified_at = utcnow()
        else:
            user = services.create_staff(None, item.email, item.role, item.first_name,
                                         item.last_name, item.language, password=DEMO_PASSWORD)
            if second_factor.required(user):
                second_factor.set_secret(user, DEMO_TOTP_SECRET)
                user.totp_enabled_at = utcnow()
        report.created(f"user {item.email}")
    db.session.flush()
    report.notes += [
        "",
        f"Recruiters, admin and medical staff: two-step verification key {DEMO_TOTP_SECRET}",
        "  (add it to an authenticator app, or run `flask --app portal demo code`)",
    ]


@demo.command("code")
def code_command():
    """Print the current two-step verification code of the demo staff accounts."""
    click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())
