"""Demo accounts of every role, for `flask demo seed`."""
from __future__ import annotations

from dataclasses import dataclass

from portal.accounts import services
from portal.accounts.models import User
from portal.demo import Report
from portal.extensions import db
from portal.models import utcnow
from portal.security import Role

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
